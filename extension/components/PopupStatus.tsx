import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../lib/api';
import { describeError } from '../lib/failure';
import { formatTime } from '../lib/format';
import { riskChanges } from '../lib/risk-changes';
import { useResource } from '../lib/useResource';
import { RiskTiles } from './RiskTiles';

/** The popup's quick status: totals, the running task, the most urgent images, two actions. */
export function PopupStatus({ api, onOpenPanel, onOpenImage }: { api: Api; onOpenPanel(): void; onOpenImage(id: string): void }) {
  const [tick, setTick] = useState(0);
  const dashboard = useResource(() => api.dashboard(), [tick]);
  const urgent = useResource(() => api.images({ highPriority: 'true', sort: 'risk', order: 'desc', limit: 5 }), [tick]);
  const tasks = useResource(() => api.scanTasks(), [tick]);
  const history = useResource(() => api.riskHistory(30), [tick]);
  const changes = history.data ? riskChanges(history.data.previous, history.data.latest) : null;
  const [message, setMessage] = useState<string | null>(null);
  const running = tasks.data?.items.find((t) => t.state === 'running' || t.state === 'queued');
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), running ? 1500 : 10_000);
    return () => clearInterval(timer);
  }, [Boolean(running)]);

  const scanAll = async () => {
    try {
      await api.createScan({ images: 'all', categories: ['vulnerabilities', 'sensitive', 'malware'] });
      setMessage('Scanning all images.');
      setTick((t) => t + 1);
    } catch (e) {
      setMessage(describeError(e));
    }
  };

  const d = dashboard.data;
  return (
    <div class="popup">
      {dashboard.error && <p role="alert" class="error">{dashboard.error}</p>}
      {d && (
        <>
          <p class="headline" data-testid="at-risk">
            <strong>{d.imagesAtRisk}</strong> of {d.totalImages} images at risk
          </p>
          <RiskTiles
            counts={[
              ['critical', 'Critical', d.vulnerabilities.critical],
              ['high', 'High', d.vulnerabilities.high],
              ['medium', 'Medium', d.vulnerabilities.medium],
              ['low', 'Low', d.vulnerabilities.low],
              ['viruses', 'Viruses', d.viruses],
              ['trojans', 'Trojans', d.trojans],
              ['sensitive', 'Sensitive', d.sensitive],
            ]}
          />
          <p class="muted">Last scan: {formatTime(d.lastScanTime)}</p>
          {changes && (
            <p class="changes" data-testid="risk-changes">
              Since the last scan:{' '}
              {changes.length === 0
                ? 'no change'
                : changes.map((c, i) => (
                    <Fragment key={c.key}>
                      {i > 0 && ', '}
                      <span class={c.change > 0 ? 'up' : 'down'}>{c.text}</span>
                    </Fragment>
                  ))}
            </p>
          )}
        </>
      )}
      {running && (
        <div role="status" class="task">
          Scan {running.done} of {running.total} · {Math.round(running.percent)}%
          {running.etaSeconds !== null && ` · about ${Math.max(1, Math.round(running.etaSeconds / 60))} min left`}
          <progress max={100} value={running.percent} aria-label="Scan progress" />
        </div>
      )}
      <h2>High priority</h2>
      {urgent.data && urgent.data.items.length === 0 && <p class="muted">No high-priority image.</p>}
      <ul class="urgent">
        {urgent.data?.items.map((image) => (
          <li key={image.id}>
            <button type="button" class="link" onClick={() => onOpenImage(image.id)}>{image.name}</button>
            <span class="muted"> score {image.priorityScore}</span>
          </li>
        ))}
      </ul>
      {message && <p role="status">{message}</p>}
      <footer>
        <button type="button" class="primary" onClick={() => void scanAll()}>Scan all now</button>
        <button type="button" onClick={onOpenPanel}>Open side panel</button>
      </footer>
    </div>
  );
}
