import { useTranslation } from 'react-i18next';

/** 意見・提案の窓口: the three ways to send an opinion, shown wherever a citizen may need them. */
export function ChannelsBlock({
  phone,
  mailbox,
  headingId,
  webFormHref,
  level = 2,
  officeHours,
  webClosed,
  noticeLang,
}: {
  phone: string;
  mailbox: string;
  headingId: string;
  /** Where this site's forms are (omit where there is no form to point at). */
  webFormHref?: string;
  level?: 2 | 3;
  /** When the phone is answered (受付時間) as the notice states it; null: the portal's default wording. */
  officeHours?: string | null;
  /** Outside the comment period: why this site takes no opinions now (replaces the pointer to the forms). */
  webClosed?: string | null;
  /** The language of the notice's own text (the postal address, the hours). */
  noticeLang?: string;
}) {
  const { t, i18n } = useTranslation();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="channels" aria-labelledby={headingId}>
      <Heading id={headingId}>{t('channels.heading')}</Heading>
      <dl>
        <dt>{t('channels.web')}</dt>
        <dd>
          {webClosed ? (
            webClosed
          ) : webFormHref ? (
            <>
              {t('channels.webHowTo')}
              <a href={webFormHref}>{t('channels.wholeNoticeLink')}</a>
              {t('channels.webHowToAfter')}
            </>
          ) : (
            <>{t('channels.webForms')}</>
          )}
        </dd>
        <dt>{t('channels.phone')}</dt>
        <dd>
          <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</a>
          {officeHours === undefined ? null : officeHours && noticeLang && noticeLang !== i18n.language ? (
            <>
              {t('channels.hoursBefore')}
              <span lang={noticeLang}>{officeHours}</span>
              {t('channels.hoursAfter')}
            </>
          ) : (
            // One text node where no language changes, so the sentence reads (and matches) as one.
            `${t('channels.hoursBefore')}${officeHours || t('period.defaultOfficeHours')}${t('channels.hoursAfter')}`
          )}
        </dd>
        <dt>{t('channels.post')}</dt>
        <dd lang={noticeLang}>{mailbox}</dd>
      </dl>
    </section>
  );
}
