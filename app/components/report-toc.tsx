// The report page's table of contents: each section with its opinion counts
// (as of the page's last render, decision 015), the next steps and the whole
// notice.
import { useTranslation } from 'react-i18next';
import { SectionCounts } from '~/components/section-replies';
import { sectionHeading } from '~/utils/format';

type Counts = Record<number, { received: number; answered: number } | undefined>;

export function ReportToc({ sections, counts, noticeLang }: { sections: Array<{ number: number; title: string }>; counts: Counts; noticeLang: string }) {
  const { t } = useTranslation('reports');
  return (
    <nav className="toc" aria-labelledby="toc-title">
      <h2 id="toc-title">{t('toc')}</h2>
      <ol>
        {sections.map((s) => (
          <li key={s.number}>
            <a href={`#section-${s.number}`} lang={noticeLang}>
              {sectionHeading(t, s.number, s.title)}
            </a>
            <SectionCounts received={counts[s.number]?.received ?? 0} answered={counts[s.number]?.answered ?? 0} />
          </li>
        ))}
        <li>
          <a href="#next-steps">{t('nextSteps')}</a>
        </li>
        <li>
          <a href="#section-0">{t('wholeNotice')}</a>
          <SectionCounts received={counts[0]?.received ?? 0} answered={counts[0]?.answered ?? 0} />
        </li>
      </ol>
    </nav>
  );
}
