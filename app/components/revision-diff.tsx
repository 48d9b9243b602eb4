// A revision's changes side by side, per section and item: 追加, 削除, 変更.
// Renumbered text is listed first: opinions attach to numbers, so it needs
// an explicit confirmation before publishing.
import { CHANGE_LABELS, type ChangeKind, type NoticeDiff } from '~/domain/notice-diff';
import { formatTarget, itemLabel } from '~/utils/format';

function Kind({ kind }: { kind: ChangeKind }) {
  return <span className={`diff-kind diff-kind--${kind}`}>[{CHANGE_LABELS[kind]}]</span>;
}

function Pair({ before, after }: { before: string | null; after: string | null }) {
  return (
    <div className="diff-pair">
      <div>
        <span className="visually-hidden">改訂前: </span>
        {before ?? '(なし)'}
      </div>
      <div>
        <span className="visually-hidden">改訂後: </span>
        {after ?? '(なし)'}
      </div>
    </div>
  );
}

export function RevisionDiff({ diff, fromRevision }: { diff: NoticeDiff; fromRevision: number }) {
  const changed = diff.sections.filter((s) => s.kind !== 'unchanged');
  return (
    <section aria-labelledby="diff-title">
      <h2 id="diff-title">改訂{fromRevision}との差分</h2>
      {!diff.changed ? <p>改訂{fromRevision}から変わったところはありません。</p> : null}
      {diff.renumbered.length > 0 ? (
        <div className="alert" role="alert">
          <h3>番号が変わる箇所があります</h3>
          <p>寄せられた意見は項・措置の番号に結び付いています。次の内容は別の番号に移るため、その番号への意見は新しい内容に対するものとして表示されます。</p>
          <ul>
            {diff.renumbered.map((r, i) => (
              <li key={i}>
                「{r.text}」: {r.itemNumber === null ? `第${r.from}項 → ${formatTarget({ sectionNumber: r.to }, 'short')}` : `${itemLabel(r.from)} → ${formatTarget({ sectionNumber: r.sectionNumber, itemNumber: r.to }, 'short')}`}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {diff.fields.length > 0 ? (
        <div className="diff-section">
          <h3>項以外の変更</h3>
          {diff.fields.map((f) => (
            <div key={f.label}>
              <h4>
                {f.label} <Kind kind="changed" />
              </h4>
              <Pair before={f.before} after={f.after} />
            </div>
          ))}
        </div>
      ) : null}
      {changed.map((s) => (
        <div key={s.number} className="diff-section">
          <h3>
            {formatTarget({ sectionNumber: s.number, sectionTitle: s.after?.title ?? s.before?.title })} <Kind kind={s.kind} />
          </h3>
          {s.before?.title !== s.after?.title ? <Pair before={s.before?.title ?? null} after={s.after?.title ?? null} /> : null}
          {s.items
            .filter((i) => i.kind !== 'unchanged')
            .map((i) => (
              <div key={i.number}>
                <h4>
                  {formatTarget({ sectionNumber: s.number, itemNumber: i.number }, 'short')} <Kind kind={i.kind} />
                </h4>
                <Pair
                  before={i.before ? `${i.before.heading}${i.before.body}` : null}
                  after={i.after ? `${i.after.heading}${i.after.body}` : null}
                />
              </div>
            ))}
        </div>
      ))}
    </section>
  );
}
