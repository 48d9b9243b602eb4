/** 意見・提案の窓口: the three ways to send an opinion, shown wherever a citizen may need them. */
export function ChannelsBlock({
  phone,
  mailbox,
  headingId,
  webFormHref,
  level = 2,
  officeHours,
  webClosed,
}: {
  phone: string;
  mailbox: string;
  headingId: string;
  /** Where this site's forms are (omit where there is no form to point at). */
  webFormHref?: string;
  level?: 2 | 3;
  /** When the phone is answered (受付時間), shown beside the number. */
  officeHours?: string | null;
  /** Outside the comment period: why this site takes no opinions now (replaces the pointer to the forms). */
  webClosed?: string | null;
}) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="channels" aria-labelledby={headingId}>
      <Heading id={headingId}>意見・提案の窓口</Heading>
      <dl>
        <dt>このサイトから</dt>
        <dd>
          {webClosed ? (
            webClosed
          ) : webFormHref ? (
            <>
              各項目の下にある「この項目について意見を送る」から送信できます(<a href={webFormHref}>通報全体への意見はこちら</a>)。
            </>
          ) : (
            <>通報の各項目の下にあるフォームから送信できます。</>
          )}
        </dd>
        <dt>電話</dt>
        <dd>
          <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</a>
          {officeHours ? `(受付時間: ${officeHours})` : null}
        </dd>
        <dt>郵便</dt>
        <dd>{mailbox}</dd>
      </dl>
    </section>
  );
}
