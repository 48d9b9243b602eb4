// A horizontal bar chart drawn on the server as SVG: no script, no library.
// Screen readers get a summary through the title; the page shows the same
// figures as a table next to it.
import { useStaffFormat } from '~/i18n/staff-format';

export type Bar = { label: string; value: number };

const ROW = 26;
const LABEL_WIDTH = 190;
const BAR_WIDTH = 380;
const VALUE_WIDTH = 60;

export function BarChart({ id, title, bars }: { id: string; title: string; bars: Bar[] }) {
  const { t, number } = useStaffFormat();
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * ROW + 8;
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  const summary = bars.map((b) => t('chart.summaryItem', { label: b.label, value: number(b.value) })).join(t('chart.separator'));
  return (
    <svg
      className="bar-chart"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      preserveAspectRatio="xMinYMin meet"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{summary}</desc>
      {bars.map((b, i) => {
        const y = i * ROW + 4;
        const w = Math.round((b.value / max) * BAR_WIDTH);
        return (
          <g key={i} aria-hidden="true">
            <text className="bar-chart__label" x={LABEL_WIDTH - 8} y={y + ROW / 2 + 4} textAnchor="end">
              {b.label.length > 14 ? `${b.label.slice(0, 13)}…` : b.label}
            </text>
            <rect className="bar-chart__bar" x={LABEL_WIDTH} y={y + 3} width={Math.max(w, b.value > 0 ? 2 : 0)} height={ROW - 8} />
            <text className="bar-chart__value" x={LABEL_WIDTH + w + 6} y={y + ROW / 2 + 4}>
              {number(b.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
