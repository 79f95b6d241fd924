import type { HostRiskDay } from '@shipshape/shared';
import type { Api } from '../lib/api';
import { useResource } from '../lib/useResource';
import { TrendChart } from './charts/TrendChart';

const DAYS = 30;
const DAY_MS = 86_400_000;
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** Local midnight of a `YYYY-MM-DD` day. */
const dayStart = (day: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).getTime();
};

/**
 * The host over the last 30 days, for the side panel header: images at risk and critical
 * findings, one point per day that had a scan or data update. `version` reloads it.
 */
export function RiskTrend({ api, version, now = () => new Date() }: { api: Api; version: number; now?: () => Date }) {
  const history = useResource(() => api.riskHistory(DAYS), [version]);
  if (history.error || !history.data) return null;
  const days: HostRiskDay[] = history.data.days;
  if (days.length === 0) return <p class="muted small" data-testid="risk-trend-empty">No scans in the last {DAYS} days.</p>;
  const today = new Date(now());
  today.setHours(0, 0, 0, 0);
  const domain: [number, number] = [today.getTime() - (DAYS - 1) * DAY_MS, today.getTime()];
  const common = {
    sampleLabel: 'Day',
    sampleNames: days.map((d) => d.day),
    positions: days.map((d) => dayStart(d.day)),
    domain,
    startLabel: shortDate.format(new Date(domain[0])),
    endLabel: 'today',
    width: 220,
    height: 64,
  };
  return (
    <div class="risk-trend" data-testid="risk-trend">
      <TrendChart {...common} testId="risk-trend-at-risk" title={`Images at risk, last ${DAYS} days`} series={[{ key: 'atRisk', label: 'Images at risk', values: days.map((d) => d.imagesAtRisk) }]} />
      <TrendChart {...common} testId="risk-trend-critical" title={`Critical findings, last ${DAYS} days`} series={[{ key: 'critical', label: 'Critical', values: days.map((d) => d.critical) }]} />
    </div>
  );
}
