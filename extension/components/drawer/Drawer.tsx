import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../../lib/api';
import { useResource } from '../../lib/useResource';
import { SummaryTab } from './SummaryTab';
import { VulnerabilitiesTab } from './VulnerabilitiesTab';
import { MalwareTab } from './MalwareTab';
import { SensitiveTab } from './SensitiveTab';
import { HistoryTab } from './HistoryTab';
import { ServersTab } from './ServersTab';
import { ContainersTab } from './ContainersTab';
import { NotCheckedLine } from './NotCheckedLine';
import type { RiskCategory } from '@shipshape/shared';
import type { VulnDataState } from '../../state/vulnData';

const tabs = [
  ['summary', 'Summary'],
  ['vulnerabilities', 'Vulnerabilities'],
  ['malware', 'Viruses & trojans'],
  ['sensitive', 'Sensitive data'],
  ['history', 'Build history'],
  ['servers', 'Servers'],
  ['containers', 'Containers'],
] as const;
export type DrawerTab = (typeof tabs)[number][0];

/**
 * One image's details beside the list. `version` changes when the image changes (a scan
 * finished), so every tab reloads its data.
 */
export function Drawer({ api, imageId, version, onClose, onScan, vulnData }: { api: Api; imageId: string; version: number; onClose(): void; onScan(id: string): void; vulnData?: VulnDataState }) {
  const [tab, setTab] = useState<DrawerTab>('summary');
  // Every tab reloads when the image changes (`version`), an ignore was added or removed here
  // (the helper's image.changed event may come later) or a data update from here ended (it
  // turns "not checked" into findings).
  const [changes, setChanges] = useState(0);
  const onChanged = () => setChanges((n) => n + 1);
  const current = version + changes;
  const detail = useResource(() => api.image(imageId), [imageId, current]);
  const onUpdated = () => {
    onChanged();
    void vulnData?.refresh();
  };
  const gapOf = (category: RiskCategory) => {
    const gap = detail.data?.notChecked.find((n) => n.category === category);
    return gap ? <NotCheckedLine gap={gap} api={api} onUpdated={onUpdated} /> : undefined;
  };
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
  useEffect(() => setTab('summary'), [imageId]);

  function onTabKey(event: KeyboardEvent) {
    const index = tabs.findIndex(([key]) => key === tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = tabs[(index + step + tabs.length) % tabs.length]![0];
    setTab(next);
    tabRefs.current[next]?.focus();
  }

  const image = detail.data;
  return (
    <aside class="drawer" aria-label="Image details" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header>
        <h2 title={image?.name}>{image?.name ?? 'Image'}</h2>
        {image && <button type="button" onClick={() => onScan(image.id)} disabled={image.scanStatus === 'scanning'}>Scan again</button>}
        <button type="button" class="icon" aria-label="Close details" onClick={onClose}>×</button>
      </header>
      <div role="tablist" aria-label="Detail sections" onKeyDown={onTabKey}>
        {tabs.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            id={`tab-${key}`}
            aria-selected={tab === key}
            aria-controls="drawer-panel"
            tabIndex={tab === key ? 0 : -1}
            ref={(el) => { tabRefs.current[key] = el; }}
            onClick={() => setTab(key)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="drawer-panel" aria-labelledby={`tab-${tab}`} class="panel">
        {detail.error && <p role="alert" class="error">{detail.error}</p>}
        {tab === 'summary' && image && (
          <SummaryTab image={image} api={api} version={current} vulnData={vulnData}>
            {image.notChecked.map((gap) => <NotCheckedLine key={gap.category} gap={gap} api={api} onUpdated={onUpdated} />)}
          </SummaryTab>
        )}
        {tab === 'vulnerabilities' && <VulnerabilitiesTab api={api} imageId={imageId} version={current} onChanged={onChanged} gap={gapOf('vulnerabilities')} />}
        {tab === 'malware' && <MalwareTab api={api} imageId={imageId} version={current} onChanged={onChanged} gap={gapOf('malware')} />}
        {tab === 'sensitive' && <SensitiveTab api={api} imageId={imageId} version={current} onChanged={onChanged} gap={gapOf('sensitive')} />}
        {tab === 'history' && <HistoryTab api={api} imageId={imageId} version={current} />}
        {tab === 'servers' && <ServersTab api={api} imageId={imageId} version={current} />}
        {tab === 'containers' && <ContainersTab api={api} imageId={imageId} version={current} />}
      </div>
    </aside>
  );
}
