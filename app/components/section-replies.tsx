// 寄せられた意見と回答: the public list of answered opinions for one section,
// used on the replies page, under each section of the report page and in the
// moderator's preview. Everything people wrote is rendered as text.
import { useTranslation } from 'react-i18next';
import { INTL_LOCALES, type Language } from '~/i18n/config';
import { formatTarget, opinionsAbout, type Translate } from '~/utils/format';
import { formatDate, formatDateTime } from '~/utils/local-time';

/** One answered opinion as the public sees it (matches PublicReply in models/replies.server). */
export type SectionReplyEntry = {
  id: number;
  sectionNumber: number;
  itemNumber: number | null;
  receivedAt: string;
  /** The redacted opinion, or null when it is not published. */
  opinion: string | null;
  body: string;
  publishedAt: string;
  /** Set only when the reply was changed after it was first published. */
  updatedAt: string | null;
  /** An image the office published beside the reply (served at /images/:id), or null. */
  imageId?: number | null;
};

export type SectionRepliesProps = {
  slug: string;
  sectionNumber: number;
  /** How many published replies the section has in all (the list may show fewer). */
  total: number;
  replies: SectionReplyEntry[];
  /** Item headings of the section by number, to name the item an opinion concerns. */
  itemHeadings?: Record<number, string>;
  /** 2 on the replies page, 3 under a section's h2 on the report page. */
  headingLevel?: 2 | 3;
  /** Show the link to the full list when the section has more than five (off on the full list itself). */
  linkToAll?: boolean;
  /** Say so when there are no replies yet (off under the report's sections, where it would be noise). */
  showEmpty?: boolean;
  /** The language of the notice's text (item headings). */
  noticeLang?: string;
};

export const REPLIES_ON_REPORT_PAGE = 5;

export function repliesPath(slug: string, sectionNumber: number): string {
  return `/reports/${encodeURIComponent(slug)}/sections/${sectionNumber}/replies`;
}

/** 第三項 ／ (一)「民生の短所を補う」への意見: the section is the page's, so its title is not repeated. */
function entryTitle(t: Translate, entry: SectionReplyEntry, itemHeadings?: Record<number, string>): string {
  const itemHeading = entry.itemNumber === null ? null : (itemHeadings?.[entry.itemNumber] ?? null);
  return opinionsAbout({ sectionNumber: entry.sectionNumber, itemNumber: entry.itemNumber, itemHeading }, 'long', t);
}

function useLocale(): { t: Translate; locale: string } {
  const { t, i18n } = useTranslation();
  return { t, locale: INTL_LOCALES[i18n.language as Language] ?? INTL_LOCALES.ja };
}

export function ReplyEntry({
  entry,
  itemHeadings,
  headingLevel = 3,
  noticeLang,
}: {
  entry: SectionReplyEntry;
  itemHeadings?: Record<number, string>;
  headingLevel?: 3 | 4;
  noticeLang?: string;
}) {
  const { t, locale } = useLocale();
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const titleId = `reply-${entry.id}-title`;
  return (
    <article id={`reply-${entry.id}`} className="reply-entry" aria-labelledby={titleId}>
      <Heading id={titleId} className="reply-entry__title" lang={entry.itemNumber !== null && itemHeadings?.[entry.itemNumber] ? noticeLang : undefined}>
        {entryTitle(t, entry, itemHeadings)}
      </Heading>
      <p className="reply-entry__meta">
        {t('replies.receivedOn')} <time dateTime={entry.receivedAt}>{formatDate(entry.receivedAt, locale)}</time>
      </p>
      {entry.opinion !== null ? (
        <div className="reply-entry__opinion">
          <p className="reply-entry__label">{t('replies.opinionLabel')}</p>
          <p className="user-text">{entry.opinion}</p>
        </div>
      ) : (
        <p className="reply-entry__note">{t('replies.opinionNotPublished')}</p>
      )}
      <div className="reply-entry__answer">
        <p className="reply-entry__label">
          {t('replies.answerLabel')} <time dateTime={entry.publishedAt}>{formatDate(entry.publishedAt, locale)}</time>
          {entry.updatedAt ? (
            <span className="reply-entry__updated">
              {t('replies.updatedBefore')}
              <time dateTime={entry.updatedAt}>{formatDateTime(entry.updatedAt, locale)}</time>
              {t('replies.updatedAfter')}
            </span>
          ) : null}
        </p>
        <p className="user-text">{entry.body}</p>
        {entry.imageId ? (
          <figure className="reply-entry__image">
            <img src={`/images/${entry.imageId}`} alt={t('replies.imageAlt')} loading="lazy" />
            <figcaption>{t('replies.imageCaption')}</figcaption>
          </figure>
        ) : null}
      </div>
    </article>
  );
}

export function SectionReplies({
  slug,
  sectionNumber,
  total,
  replies,
  itemHeadings,
  headingLevel = 3,
  linkToAll = true,
  showEmpty = false,
  noticeLang,
}: SectionRepliesProps) {
  const { t } = useLocale();
  if (total === 0 && !showEmpty) return null;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const headingId = `replies-${sectionNumber}-title`;
  return (
    <section className="section-replies" aria-labelledby={headingId}>
      <Heading id={headingId}>{t('replies.heading', { count: total })}</Heading>
      {replies.length === 0 ? (
        <p>{t('replies.none')}</p>
      ) : (
        replies.map((entry) => (
          <ReplyEntry key={entry.id} entry={entry} itemHeadings={itemHeadings} headingLevel={headingLevel === 2 ? 3 : 4} noticeLang={noticeLang} />
        ))
      )}
      {linkToAll && total > REPLIES_ON_REPORT_PAGE ? (
        <p className="section-replies__more">
          <a href={repliesPath(slug, sectionNumber)}>
            {t('replies.all', { target: formatTarget({ sectionNumber }, 'short', t), count: total })}
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** For the table of contents: 意見 N件・回答 M件. */
export function SectionCounts({ received, answered }: { received: number; answered: number }) {
  const { t } = useTranslation();
  return <span className="toc__counts">{t('replies.counts', { received, answered })}</span>;
}
