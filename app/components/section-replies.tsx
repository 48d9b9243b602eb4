// 寄せられた意見と回答: the public list of answered opinions for one section,
// used on the replies page, under each section of the report page and in the
// moderator's preview. Everything people wrote is rendered as text.
import { opinionsAbout, sectionLabel } from '~/utils/format';
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
};

export const REPLIES_ON_REPORT_PAGE = 5;

export function repliesPath(slug: string, sectionNumber: number): string {
  return `/reports/${encodeURIComponent(slug)}/sections/${sectionNumber}/replies`;
}

/** 第三項 ／ (一)「民生の短所を補う」への意見: the section is the page's, so its title is not repeated. */
function entryTitle(entry: SectionReplyEntry, itemHeadings?: Record<number, string>): string {
  const itemHeading = entry.itemNumber === null ? null : (itemHeadings?.[entry.itemNumber] ?? null);
  return opinionsAbout({ sectionNumber: entry.sectionNumber, itemNumber: entry.itemNumber, itemHeading });
}

export function ReplyEntry({
  entry,
  itemHeadings,
  headingLevel = 3,
}: {
  entry: SectionReplyEntry;
  itemHeadings?: Record<number, string>;
  headingLevel?: 3 | 4;
}) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const titleId = `reply-${entry.id}-title`;
  return (
    <article id={`reply-${entry.id}`} className="reply-entry" aria-labelledby={titleId}>
      <Heading id={titleId} className="reply-entry__title">
        {entryTitle(entry, itemHeadings)}
      </Heading>
      <p className="reply-entry__meta">
        受付日 <time dateTime={entry.receivedAt}>{formatDate(entry.receivedAt)}</time>
      </p>
      {entry.opinion !== null ? (
        <div className="reply-entry__opinion">
          <p className="reply-entry__label">寄せられた意見(個人情報を伏せて掲載)</p>
          <p className="user-text">{entry.opinion}</p>
        </div>
      ) : (
        <p className="reply-entry__note">意見の本文は公開していません。</p>
      )}
      <div className="reply-entry__answer">
        <p className="reply-entry__label">
          区からの回答 <time dateTime={entry.publishedAt}>{formatDate(entry.publishedAt)}</time>
          {entry.updatedAt ? (
            <span className="reply-entry__updated">
              (更新日 <time dateTime={entry.updatedAt}>{formatDateTime(entry.updatedAt)}</time>)
            </span>
          ) : null}
        </p>
        <p className="user-text">{entry.body}</p>
        {entry.imageId ? (
          <figure className="reply-entry__image">
            <img src={`/images/${entry.imageId}`} alt="意見に添えて寄せられた写真" loading="lazy" />
            <figcaption>意見に添えて寄せられた写真(位置情報などを取り除いて掲載)</figcaption>
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
}: SectionRepliesProps) {
  if (total === 0 && !showEmpty) return null;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const headingId = `replies-${sectionNumber}-title`;
  return (
    <section className="section-replies" aria-labelledby={headingId}>
      <Heading id={headingId}>{`寄せられた意見と回答(${total}件)`}</Heading>
      {replies.length === 0 ? (
        <p>この項目への回答はまだ公開されていません。</p>
      ) : (
        replies.map((entry) => (
          <ReplyEntry key={entry.id} entry={entry} itemHeadings={itemHeadings} headingLevel={headingLevel === 2 ? 3 : 4} />
        ))
      )}
      {linkToAll && total > REPLIES_ON_REPORT_PAGE ? (
        <p className="section-replies__more">
          <a href={repliesPath(slug, sectionNumber)}>
            {`${sectionLabel(sectionNumber)}への意見と回答をすべて見る(${total}件)`}
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** For the table of contents: 意見 N件・回答 M件. */
export function SectionCounts({ received, answered }: { received: number; answered: number }) {
  return (
    <span className="toc__counts">{`意見 ${received}件・回答 ${answered}件`}</span>
  );
}
