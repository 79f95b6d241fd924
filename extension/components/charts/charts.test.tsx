import { render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { HostRiskDay, HostRiskSnapshot, ImageRiskPoint } from '@shipshape/shared';
import { fakeHelper, fakeImage } from '../../testing/fakeHelper';
import { readyConnection } from '../../testing/render';
import { PopupStatus } from '../PopupStatus';
import { RiskTrend } from '../RiskTrend';
import { RiskHistoryChart } from '../drawer/RiskHistoryChart';

const counts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, malware: 0, sensitive: 0, knownExploited: 0 };
const point = (at: string, over: Partial<ImageRiskPoint>): ImageRiskPoint => ({ ...counts, at, kind: 'scan', priorityScore: 0, highPriority: false, ...over });
const snapshot = (at: string, over: Partial<HostRiskSnapshot>): HostRiskSnapshot => ({ ...counts, at, images: 4, imagesAtRisk: 1, highPriority: 0, ...over });
const day = (d: string, over: Partial<HostRiskSnapshot>): HostRiskDay => ({ ...snapshot(`${d}T12:00:00.000Z`, over), day: d });

/** The chart's numbers as the screen reader gets them: the rows of its hidden table. */
const tableRows = (testId: string) => within(screen.getByTestId(`${testId}-data`)).getAllByRole('row').map((row) => [...row.children].map((c) => c.textContent));

describe('risk charts', () => {
  it("draws an image's risks over its scans as SVG, with the numbers as a table", async () => {
    const image = fakeImage(3, { scanStatus: 'scanned', lastScanned: '2026-12-04T10:00:00.000Z' });
    const history = [
      point('2026-12-01T10:00:00.000Z', { unknown: 3 }),
      point('2026-12-02T10:00:00.000Z', { kind: 'rematch', high: 1, unknown: 2 }),
      point('2026-12-04T10:00:00.000Z', { kind: 'rematch', high: 1, unknown: 2, knownExploited: 1, sensitive: 2 }),
    ];
    const conn = await readyConnection(fakeHelper({ images: [image], imageRiskHistory: history }));
    render(<RiskHistoryChart api={conn.api} imageId={image.id} version={0} />);
    const chart = await screen.findByTestId('risk-history-chart');
    expect(chart.querySelector('figcaption')?.textContent).toBe('Risks over the last 3 scans');
    expect(chart.querySelectorAll('[data-series="high"] circle')).toHaveLength(3);
    expect(chart.querySelector('[data-series="exploited"] path')?.getAttribute('d')).toMatch(/^M\S+ \S+ L\S+ \S+ L\S+ \S+$/);
    expect(chart.querySelector('svg desc')?.textContent).toBe('3 scans. Critical: 0 to 0; High: 0 to 1; Known exploited: 0 to 1; Malware & sensitive: 0 to 2.');
    expect(tableRows('risk-history-chart').slice(1).map((r) => r.slice(1))).toEqual([
      ['0', '0', '0', '0'],
      ['0', '1', '0', '0'],
      ['0', '1', '1', '2'],
    ]);
    expect(tableRows('risk-history-chart')[2]![0]).toMatch(/\(data update\)$/);
  });

  it('says when an image has no history yet', async () => {
    const image = fakeImage(4);
    const conn = await readyConnection(fakeHelper({ images: [image] }));
    render(<RiskHistoryChart api={conn.api} imageId={image.id} version={0} />);
    expect(await screen.findByText('No risk history yet: each scan adds a point.')).toBeTruthy();
  });

  it('charts images at risk and critical findings of the last 30 days, each day at its date', async () => {
    const days = [day('2026-11-20', { imagesAtRisk: 1, critical: 0 }), day('2026-12-03', { imagesAtRisk: 2, critical: 4 }), day('2026-12-05', { imagesAtRisk: 2, critical: 1 })];
    const conn = await readyConnection(fakeHelper({ hostRiskHistory: { days, latest: null, previous: null } }));
    render(<RiskTrend api={conn.api} version={0} now={() => new Date(2026, 11, 5, 15)} />);
    await screen.findByTestId('risk-trend');
    expect(tableRows('risk-trend-at-risk').slice(1)).toEqual([
      ['2026-11-20', '1'],
      ['2026-12-03', '2'],
      ['2026-12-05', '2'],
    ]);
    expect(tableRows('risk-trend-critical').slice(1).map((r) => r[1])).toEqual(['0', '4', '1']);
    const xs = [...screen.getByTestId('risk-trend-critical').querySelectorAll('circle')].map((c) => Number(c.getAttribute('cx')));
    expect(xs[2]).toBeGreaterThan(xs[1]!); // today at the right end, two days before it further left
    expect(xs[1]! - xs[0]!).toBeGreaterThan(5 * (xs[2]! - xs[1]!));
  });

  it('tells the popup what changed since the last scan, with true minus signs', async () => {
    const previous = snapshot('2026-12-05T09:00:00.000Z', { critical: 2, sensitive: 3 });
    const latest = snapshot('2026-12-05T10:00:00.000Z', { critical: 5, sensitive: 2 });
    const conn = await readyConnection(fakeHelper({ images: [fakeImage(1)], hostRiskHistory: { days: [], latest, previous } }));
    render(<PopupStatus conn={conn} onOpenPanel={() => undefined} onOpenImage={() => undefined} onOpenDialog={() => undefined} />);
    await waitFor(() => expect(screen.getByTestId('risk-changes').textContent).toBe('Since the last scan: +3 critical, \u22121 sensitive'));
  });
});
