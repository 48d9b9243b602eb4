// What the parser made of a pasted or uploaded notice, before anything is
// stored: the title, the dates, each section with its items, the channels.
// Or, for a malformed text, each problem with its line number. Also the words
// the notices console uses for a notice's state and its comment period.
import { useTranslation } from 'react-i18next';
import type { ParsedNotice } from '~/domain/notice-parser.server';
import { ChannelsBlock } from '~/components/channels-block';
import type { NoticeState, PeriodChange } from '~/domain/comment-period';
import { INTL_LOCALES, isLanguage } from '~/i18n/config';
import { itemLabel, toKanjiNumber } from '~/utils/format';
import { formatDate, formatDateTime } from '~/utils/local-time';

type Period = { opensAt: string | null; closesAt: string | null };

/** The notices console's words for states, periods and period changes, in the page's language. */
export function useNoticeWords() {
  const { t, i18n } = useTranslation('admin');
  const locale = INTL_LOCALES[isLanguage(i18n.language) ? i18n.language : 'ja'];
  const at = (iso: string) => formatDateTime(iso, locale);
  /** "from 5 January 2026 09:00 until 5 February 2026 17:00" (in the page's words), or null without dates. */
  const period = (p: Period): string | null => {
    if (!p.opensAt && !p.closesAt) return null;
    const from = p.opensAt ? t('notices.period.from', { at: at(p.opensAt) }) : '';
    const to = p.closesAt ? t('notices.period.to', { at: at(p.closesAt) }) : t('notices.period.noEnd');
    return [from, to].filter(Boolean).join(' ');
  };
  /** The same after the "Comment period:" label, as the public page words it. */
  const labelledPeriod = (p: Period): string | null => {
    const text = period(p);
    return text === null ? null : t('notices.period.labelled', { period: text });
  };
  const change = (c: PeriodChange): string => {
    const before = c.previousClosesAt ? t('notices.change.before', { at: at(c.previousClosesAt) }) : t('notices.change.beforeNoEnd');
    return t(c.kind === 'extend' ? 'notices.change.extended' : 'notices.change.closedEarly', { at: at(c.at), before, reason: c.reason });
  };
  const state = (s: NoticeState): string => t(`notices.state.${s}`);
  return { t, locale, at, period, labelledPeriod, change, state };
}

export function ParseErrors({ errors, headingId = 'parse-errors-title' }: { errors: Array<{ line: number; problem: string }>; headingId?: string }) {
  const { t } = useTranslation('admin');
  return (
    <section className="alert" role="alert" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('notices.parse.heading', { count: errors.length })}</h2>
      <p>{t('notices.parse.body')}</p>
      <ol className="parse-errors">
        {errors.map((e, i) => (
          <li key={i}>
            <strong>{t('notices.parse.line', { line: e.line })}</strong>: {e.problem}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function NoticePreview({ notice, period }: { notice: ParsedNotice; period?: Period | null }) {
  const words = useNoticeWords();
  const { t, locale } = words;
  const items = notice.sections.reduce((n, s) => n + s.items.length, 0);
  return (
    <section className="notice-preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('notices.preview.heading', { title: notice.title })}</h2>
      <dl className="report-meta">
        <div>
          <dt>{t('notices.preview.publishedAt')}</dt>
          <dd>{notice.publishedAt ? formatDateTime(notice.publishedAt, locale) : '—'}</dd>
        </div>
        <div>
          <dt>{t('notices.preview.source')}</dt>
          <dd>{notice.sourceOffice}</dd>
        </div>
        <div>
          <dt>{t('notices.preview.issuer')}</dt>
          <dd>{t('notices.preview.issued', { issuer: notice.issuer, on: notice.issuedOn ? formatDate(notice.issuedOn, locale) : '—' })}</dd>
        </div>
        <div>
          <dt>{t('notices.period.label')}</dt>
          <dd>{(period && words.period(period)) || t('notices.period.always')}</dd>
        </div>
      </dl>
      <p>{t('notices.preview.counts', { sections: notice.sections.length, items })}</p>
      {/* The notice's own numbering, as published. */}
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
