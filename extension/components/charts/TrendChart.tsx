import { useId } from 'preact/hooks';
import { chartGeometry, type Box, type ChartSeries } from '../../lib/chart';

export type TrendChartProps = {
  /** Heading and accessible name. */
  title: string;
  /** What the x axis is, for the text version ("Scan", "Day"). */
  sampleLabel: string;
  /** One label per sample ("5 Dec, 14:02"), same order as the values. */
  sampleNames: string[];
  /** Where each sample sits on the x axis, and the axis' extent. */
  positions: number[];
  domain: [number, number];
  series: ChartSeries[];
  /** Labels under the axis' two ends. */
  startLabel: string;
  endLabel: string;
  width?: number;
  height?: number;
  testId?: string;
};

/**
 * A small line chart drawn as SVG from the data. Colours come from the theme's variables (each
 * series' class), so it reads in light and dark. The numbers are also a table, hidden on
 * screen and read by screen readers; the SVG itself carries a one-line summary.
 */
export function TrendChart({ title, sampleLabel, sampleNames, positions, domain, series, startLabel, endLabel, width = 320, height = 96, testId }: TrendChartProps) {
  const id = useId();
  const box: Box = { width, height, top: 6, right: 6, bottom: 16, left: 22 };
  const g = chartGeometry(box, positions, domain, series);
  const latest = (s: ChartSeries) => s.values[s.values.length - 1] ?? 0;
  const summary = series.map((s) => `${s.label}: ${s.values.length > 1 ? `${s.values[0]} to ${latest(s)}` : latest(s)}`).join('; ');
  return (
    <figure class="trend" data-testid={testId}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`}>
        <desc id={`${id}-summary`}>{`${sampleNames.length} ${sampleLabel.toLowerCase()}${sampleNames.length === 1 ? '' : 's'}. ${summary}.`}</desc>
        {g.ticks.map((t) => (
          <g key={t} class="grid">
            <line x1={box.left} x2={width - box.right} y1={g.yOf(t)} y2={g.yOf(t)} />
            <text x={box.left - 4} y={g.yOf(t) + 3} text-anchor="end">{t}</text>
          </g>
        ))}
        <text class="axis" x={box.left} y={height - 3}>{startLabel}</text>
        <text class="axis" x={width - box.right} y={height - 3} text-anchor="end">{endLabel}</text>
        {g.series.map((s) => (
          <g key={s.key} class={`series series-${s.key}`} data-series={s.key}>
            {s.points.length > 1 && <path d={s.path} />}
            {s.points.map(([x, y], i) => (
              <circle key={i} cx={x} cy={y} r={s.points.length > 1 ? 2 : 3} />
            ))}
          </g>
        ))}
      </svg>
      <ul class="legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.key} class={`series-${s.key}`}>
            <span class="swatch" /> {s.label} <strong>{latest(s)}</strong>
          </li>
        ))}
      </ul>
      <table class="sr-only" data-testid={testId ? `${testId}-data` : undefined}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{sampleLabel}</th>
            {series.map((s) => <th key={s.key} scope="col">{s.label}</th>)}
          </tr>
        </thead>
        <tbody>
          {sampleNames.map((name, i) => (
            <tr key={i}>
              <th scope="row">{name}</th>
              {series.map((s) => <td key={s.key}>{s.values[i]}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
