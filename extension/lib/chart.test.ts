import { describe, expect, it } from 'vitest';
import { chartGeometry, linePath, niceMax, ticksFor } from './chart';

describe('chart geometry', () => {
  it('rounds the value axis up to 1, 2 or 5 × 10ⁿ, and never to zero', () => {
    expect([0, 0.4, 1, 3, 7, 10, 11, 26, 120].map(niceMax)).toEqual([1, 1, 1, 5, 10, 10, 20, 50, 200]);
    expect(ticksFor(1)).toEqual([0, 1]);
    expect(ticksFor(5)).toEqual([0, 3, 5]);
    expect(ticksFor(20)).toEqual([0, 10, 20]);
  });

  it('maps samples into the box: first at the left edge, last at the right, zero on the baseline', () => {
    const box = { width: 200, height: 100, top: 10, right: 10, bottom: 20, left: 30 };
    const g = chartGeometry(box, [0, 1, 2], [0, 2], [{ key: 'critical', label: 'Critical', values: [0, 5, 10] }]);
    expect(g.yMax).toBe(10);
    expect(g.xs).toEqual([30, 110, 190]);
    expect(g.series[0]!.points).toEqual([
      [30, 80],
      [110, 45],
      [190, 10],
    ]);
    expect(g.series[0]!.path).toBe('M30 80 L110 45 L190 10');
  });

  it('puts a single sample in the middle and places days on a 30-day axis', () => {
    const box = { width: 120, height: 40, top: 0, right: 0, bottom: 0, left: 0 };
    expect(chartGeometry(box, [5], [5, 5], [{ key: 'a', label: 'A', values: [2] }]).xs).toEqual([60]);
    const day = 86_400_000;
    const g = chartGeometry(box, [27 * day, 29 * day], [0, 29 * day], [{ key: 'a', label: 'A', values: [0, 0] }]);
    expect(g.xs.map(Math.round)).toEqual([112, 120]);
    expect(g.series[0]!.points.map(([, y]) => y)).toEqual([40, 40]);
    expect(linePath([])).toBe('');
  });
});
