// One numbered section of the notice as the report page shows it: its
// heading and its lettered measures, each with a permalink.
import { useTranslation } from 'react-i18next';
import { Permalink } from '~/components/permalink';
import { formatTarget, itemHeading, sectionHeading } from '~/utils/format';

export type NoticeSectionTextProps = {
  section: { number: number; title: string; items: Array<{ number: number; heading: string; body: string }> };
  noticeLang: string;
};

export function NoticeSectionText({ section, noticeLang }: NoticeSectionTextProps) {
  const { t } = useTranslation('reports');
  return (
    <>
      <h2 id={`section-${section.number}-title`}>
        <span lang={noticeLang}>{sectionHeading(t, section.number, section.title)}</span>
        <Permalink href={`#section-${section.number}`} target={formatTarget({ sectionNumber: section.number }, 'short', t)} />
      </h2>
      {section.items.map((item) => {
        const id = `section-${section.number}-${item.number}`;
        return (
          <div key={item.number} id={id} className="item">
            <h3>
              <span lang={noticeLang}>{itemHeading(t, item.number, item.heading)}</span>
              <Permalink href={`#${id}`} target={formatTarget({ sectionNumber: section.number, itemNumber: item.number }, 'short', t)} />
            </h3>
            {item.body ? <p lang={noticeLang}>{item.body}</p> : null}
          </div>
        );
      })}
    </>
  );
}
