/**
 * The geometry of the small trend charts: value and position scales, "nice" axis maxima and
 * SVG paths. Pure numbers, no DOM: the components draw what this computes.
 */

export type Box = { width: number; height: number; top: number; right: number; bottom: number; left: number };

export type ChartSeries = { key: string; label: string; values: number[] };

export type PlottedSeries = ChartSeries & { points: Array<[x: number, y: number]>; path: string };

export type ChartGeometry = {
  /** The top of the value axis (a round number at least the largest value, at least 1). */
  yMax: number;
  /** Values to draw grid lines at, bottom to top. */
  ticks: number[];
  series: PlottedSeries[];
  /** The x position of each sample. */
  xs: number[];
  yOf(value: number): number;
};

/** 1, 2, 5 × 10ⁿ: the smallest at least `max`; counts, so never below 1 (an all-zero chart still has an axis). */
export function niceMax(max: number): number {
  if (!(max > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** Integer grid values from 0 to `yMax`, at most `count + 1` of them. */
export function ticksFor(yMax: number, count = 2): number[] {
  const step = Math.max(1, Math.ceil(yMax / count));
  const ticks: number[] = [];
  for (let v = 0; v <= yMax; v += step) ticks.push(v);
  if (ticks[ticks.length - 1] !== yMax) ticks.push(yMax);
  return ticks;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** `M x y L x y …` through the points (one point: a dot is drawn by the component). */
export function linePath(points: Array<[number, number]>): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${round(x)} ${round(y)}`).join(' ');
}

/**
 * Places samples at `positions` (any numbers: scan index, day timestamp) within `domain` on the
 * x axis of `box`, and each series' values on a shared value axis from 0 to a nice maximum.
 * A single-sample domain puts it in the middle.
 */
export function chartGeometry(box: Box, positions: number[], domain: [number, number], series: ChartSeries[]): ChartGeometry {
  const innerW = box.width - box.left - box.right;
  const innerH = box.height - box.top - box.bottom;
  const [from, to] = domain;
  const xOf = (p: number) => box.left + (to === from ? innerW / 2 : ((p - from) / (to - from)) * innerW);
  const yMax = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const yOf = (v: number) => box.top + innerH - (Math.max(0, v) / yMax) * innerH;
  const xs = positions.map(xOf);
  return {
    yMax,
    ticks: ticksFor(yMax),
    xs,
    yOf,
    series: series.map((s) => {
      const points = s.values.map((v, i): [number, number] => [xs[i]!, yOf(v)]);
      return { ...s, points, path: linePath(points) };
    }),
  };
}
