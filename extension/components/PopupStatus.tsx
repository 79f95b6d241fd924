import { Fragment } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { describeError } from '../lib/failure';
import { formatTime } from '../lib/format';
import { riskChanges } from '../lib/risk-changes';
import { useResource } from '../lib/useResource';
import type { ConnectionState } from '../state/connection';
import { isComplete, setupSteps, type StepAction } from '../state/setup';
import { RiskTiles } from './RiskTiles';
import { createVulnDataState } from '../state/vulnData';
import { DataAge, VulnDataBanner } from './VulnDataBanner';
import { SetupChecklist } from './SetupChecklist';

type Props = { conn: ConnectionState; onOpenPanel(): void; onOpenImage(id: string): void; onOpenDialog(dialog: 'update' | 'quick'): void };

/**
 * The popup's quick status: the first-run checklist until everything is in place, totals, the
 * running task, the most urgent images, two actions.
 */
export function PopupStatus({ conn, onOpenPanel, onOpenImage, onOpenDialog }: Props) {
  const api = conn.api;
  const [tick, setTick] = useState(0);
  const vulnData = useMemo(() => createVulnDataState(api), [api]);
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
  const steps = setupSteps(conn.status.value, conn.health.value, d ?? conn.dashboard.value);
  const onStep = (action: StepAction) => {
    if (action === 'update-data') onOpenDialog('update');
    else if (action === 'quick-scan') onOpenDialog('quick');
    else if (action === 'retry') void conn.refreshHealth();
  };
  return (
    <div class="popup">
      {!isComplete(steps) && <SetupChecklist steps={steps} onAction={onStep} />}
      {dashboard.error && <p role="alert" class="error">{dashboard.error}</p>}
      <VulnDataBanner api={api} data={vulnData} onUpdate={() => onOpenDialog('update')} onUpdated={() => setTick((t) => t + 1)} />
      {d && (
        <>
          <p class="headline" data-testid="at-risk">
            <strong>{d.imagesAtRisk}</strong> of {d.totalImages} images at risk
          </p>
          {d.imagesIncomplete > 0 && (
            <p class="incomplete" data-testid="incomplete">
              <strong>{d.imagesIncomplete}</strong> incomplete: not every risk could be checked
            </p>
          )}
          <DataAge data={vulnData} />
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
