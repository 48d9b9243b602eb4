// What the parser made of a pasted or uploaded notice, before anything is
// stored: the title, the dates, each section with its items, the channels.
// Or, for a malformed text, each problem with its line number.
import type { ParsedNotice } from '~/domain/notice-parser.server';
import { ChannelsBlock } from '~/components/channels-block';
import { describePeriod } from '~/domain/comment-period';
import { itemLabel, toKanjiNumber } from '~/utils/format';
import { formatDate, formatDateTime } from '~/utils/local-time';

export function ParseErrors({ errors, headingId = 'parse-errors-title' }: { errors: Array<{ line: number; problem: string }>; headingId?: string }) {
  return (
    <section className="alert" role="alert" aria-labelledby={headingId}>
      <h2 id={headingId}>本文を読み取れませんでした({errors.length}件の問題)</h2>
      <p>次の行を直してから、もう一度プレビューしてください。何も保存されていません。</p>
      <ol className="parse-errors">
        {errors.map((e, i) => (
          <li key={i}>
            <strong>{e.line}行目</strong>: {e.problem}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function NoticePreview({
  notice,
  period,
}: {
  notice: ParsedNotice;
  period?: { opensAt: string | null; closesAt: string | null } | null;
}) {
  const items = notice.sections.reduce((n, s) => n + s.items.length, 0);
  return (
    <section className="notice-preview" aria-labelledby="preview-title">
      <h2 id="preview-title">プレビュー: {notice.title}</h2>
      <dl className="report-meta">
        <div>
          <dt>公開日</dt>
          <dd>{notice.publishedAt ? formatDateTime(notice.publishedAt) : '—'}</dd>
        </div>
        <div>
          <dt>情報ソース</dt>
          <dd>{notice.sourceOffice}</dd>
        </div>
        <div>
          <dt>発行</dt>
          <dd>
            {notice.issuer}({notice.issuedOn ? formatDate(notice.issuedOn) : '—'})
          </dd>
        </div>
        <div>
          <dt>意見募集期間</dt>
          <dd>{(period && describePeriod(period)?.replace(/^意見募集期間: /, '')) || '期間の定めなし(常に受付)'}</dd>
        </div>
      </dl>
      <p>
        {notice.sections.length}項・{items}措置
      </p>
      {notice.sections.map((s) => (
        <div key={s.number}>
          <h3>{`${toKanjiNumber(s.number)}、${s.title}`}</h3>
          <ul className="notice-preview__items">
            {s.items.map((i) => (
              <li key={i.number}>{`${itemLabel(i.number)}${i.heading}`}</li>
            ))}
          </ul>
        </div>
      ))}
      <ChannelsBlock phone={notice.phone} mailbox={notice.mailbox} headingId="preview-channels" level={3} />
    </section>
  );
}
