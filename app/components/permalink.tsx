import { useTranslation } from 'react-i18next';

/** The "#" link beside a heading of the report page: a link to that place, named for screen readers. */
export function Permalink({ href, target }: { href: string; target: string }) {
  const { t } = useTranslation('reports');
  return (
    <a className="permalink" href={href} aria-label={t('permalink', { target })}>
      #
    </a>
  );
}
