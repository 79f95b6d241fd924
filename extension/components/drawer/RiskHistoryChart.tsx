import type { ImageRiskPoint } from '@shipshape/shared';
import type { Api } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import { TrendChart } from '../charts/TrendChart';

const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** The image's risks over its scans (and the data updates that changed them), oldest to newest. */
export function riskHistorySeries(points: ImageRiskPoint[]) {
  return [
    { key: 'critical', label: 'Critical', values: points.map((p) => p.critical) },
    { key: 'high', label: 'High', values: points.map((p) => p.high) },
    { key: 'exploited', label: 'Known exploited', values: points.map((p) => p.knownExploited) },
    { key: 'other', label: 'Malware & sensitive', values: points.map((p) => p.malware + p.sensitive) },
  ];
}

export function RiskHistoryChart({ api, imageId, version }: { api: Api; imageId: string; version: number }) {
  const history = useResource(() => api.imageRiskHistory(imageId), [imageId, version]);
  if (history.error) return <p class="error" role="alert">{history.error}</p>;
  const points = history.data?.items ?? [];
  if (!history.data) return null;
  if (points.length === 0) return <p class="muted small">No risk history yet: each scan adds a point.</p>;
  const names = points.map((p) => `${formatTime(p.at)}${p.kind === 'rematch' ? ' (data update)' : ''}`);
  return (
    <TrendChart
      testId="risk-history-chart"
      title={`Risks over the last ${points.length} scan${points.length === 1 ? '' : 's'}`}
      sampleLabel="Scan"
      sampleNames={names}
      positions={points.map((_, i) => i)}
      domain={[0, Math.max(0, points.length - 1)]}
      series={riskHistorySeries(points)}
      startLabel={shortDate.format(new Date(points[0]!.at))}
      endLabel={shortDate.format(new Date(points[points.length - 1]!.at))}
      width={340}
    />
  );
}
