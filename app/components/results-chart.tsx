import { useTranslation } from 'react-i18next';
import { INTL_LOCALES, type Language } from '~/i18n/config';
import type { Translate } from '~/utils/format';
// Horizontal bars drawn on the server as SVG, for the public results board.
// A figure hidden for privacy ("<3") gets no bar, only its text; the page
// shows every figure in a table beside the chart, so nothing lives only here.

export type ResultBar = { label: string; value: number | '<3' | null; unit?: string };

const ROW = 26;
const LABEL_WIDTH = 200;
const BAR_WIDTH = 340;
const VALUE_WIDTH = 80;

function shown(bar: ResultBar, t: Translate, locale: string): string {
  if (bar.value === null) return '—';
  if (bar.value === '<3') return t('results.fewer');
  return bar.unit ? `${bar.value.toLocaleString(locale)}${bar.unit}` : t('results.count', { n: bar.value.toLocaleString(locale) });
}

export function ResultsChart({ id, title, bars, max }: { id: string; title: string; bars: ResultBar[]; max?: number }) {
  const { t, i18n } = useTranslation('reports');
  const locale = INTL_LOCALES[i18n.language as Language] ?? INTL_LOCALES.ja;
  const top = max ?? Math.max(1, ...bars.map((b) => (typeof b.value === 'number' ? b.value : 0)));
  const height = bars.length * ROW + 8;
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  return (
    <svg
      className="bar-chart results-chart"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      preserveAspectRatio="xMinYMin meet"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{bars.map((b) => `${b.label} ${shown(b, t, locale)}`).join(t('results.listSeparator'))}</desc>
      {bars.map((b, i) => {
        const y = i * ROW + 4;
        const value = typeof b.value === 'number' ? b.value : 0;
        const w = Math.round((value / top) * BAR_WIDTH);
        return (
          <g key={i} aria-hidden="true">
            <text className="bar-chart__label" x={LABEL_WIDTH - 8} y={y + ROW / 2 + 4} textAnchor="end">
              {b.label.length > 15 ? `${b.label.slice(0, 14)}…` : b.label}
            </text>
            <rect className="bar-chart__bar" x={LABEL_WIDTH} y={y + 3} width={Math.max(w, value > 0 ? 2 : 0)} height={ROW - 8} />
            <text className="bar-chart__value" x={LABEL_WIDTH + w + 6} y={y + ROW / 2 + 4}>
              {b.value === '<3' ? '<3' : b.value === null ? '—' : `${value.toLocaleString(locale)}${b.unit === '%' ? '%' : ''}`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
