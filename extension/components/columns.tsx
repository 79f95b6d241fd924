import type { ImageColumn, ImageSummary, RiskCategory } from '@shipshape/shared';
import type { JSX } from 'preact';
import { formatBytes, formatTime, shortDigest } from '../lib/format';
import { categoryState } from '../lib/riskChips';
import { StatusBadge } from './StatusBadge';

/** `width` in rem: fixed, except the name column, which also takes the space left. */
export type ColumnDef = { label: string; width: number; render(image: ImageSummary): JSX.Element | string | number };

/** A risk count, or why there is none: '–' before a scan, '?' when the category was not checked. */
const count = (image: ImageSummary, category: RiskCategory, n: number) => {
  const { state, reason } = categoryState(image, category);
  if (state === 'unknown') return <span class="muted" title="Not known until a scan">–</span>;
  if (state === 'not_checked') return <span class="not-checked-count" title={`Not checked: ${reason}`}>?</span>;
  return n ? <strong class="count">{n}</strong> : <span class="muted">0</span>;
};
const v = (image: ImageSummary) => image.risks.vulnerabilities;
/** "Not checked: vulnerabilities (no vulnerability data…)": why an image is `incomplete`; null when all was checked. */
const notCheckedText = (image: ImageSummary) =>
  image.notChecked.length ? `Not checked: ${image.notChecked.map((n) => `${n.category} (${n.reason})`).join('; ')}` : null;

/** How each column the helper knows (shared `imageColumns`) is shown in the list. */
export const columnDefs: Record<ImageColumn, ColumnDef> = {
  name: { label: 'Image', width: 14, render: (i) => <span class="name" title={i.name}>{i.highPriority && <span class="priority" title="High priority">▲ </span>}{i.name}</span> },
  id: { label: 'ID', width: 8, render: (i) => <code>{shortDigest(i.id)}</code> },
  tags: { label: 'Tags', width: 10, render: (i) => i.repoTags.join(', ') || '—' },
  size: { label: 'Size', width: 6, render: (i) => formatBytes(i.size) },
  created: { label: 'Created', width: 10, render: (i) => formatTime(i.created) },
  os: { label: 'OS', width: 5, render: (i) => i.os },
  architecture: { label: 'Arch', width: 5, render: (i) => i.architecture },
  author: { label: 'Author', width: 8, render: (i) => i.author || '—' },
  layerCount: { label: 'Layers', width: 4.5, render: (i) => i.layerCount },
  containersRunning: { label: 'Running', width: 5, render: (i) => i.containers.running },
  containersTotal: { label: 'Containers', width: 6, render: (i) => i.containers.total },
  scanStatus: { label: 'Scan', width: 7.5, render: (i) => <StatusBadge value={i.scanStatus} detail={i.scanError} /> },
  securityStatus: { label: 'Security', width: 6.5, render: (i) => <StatusBadge value={i.securityStatus} detail={notCheckedText(i)} /> },
  notChecked: { label: 'Not checked', width: 10, render: (i) => notCheckedText(i) ?? '—' },
  highPriority: { label: 'Priority', width: 5, render: (i) => (i.highPriority ? 'High' : '—') },
  priorityScore: { label: 'Score', width: 4.5, render: (i) => i.priorityScore },
  critical: { label: 'Critical', width: 4.5, render: (i) => count(i, 'vulnerabilities', v(i).critical) },
  high: { label: 'High', width: 4, render: (i) => count(i, 'vulnerabilities', v(i).high) },
  medium: { label: 'Medium', width: 4.5, render: (i) => count(i, 'vulnerabilities', v(i).medium) },
  low: { label: 'Low', width: 4, render: (i) => count(i, 'vulnerabilities', v(i).low) },
  unknown: { label: 'Unknown', width: 4.5, render: (i) => count(i, 'vulnerabilities', v(i).unknown) },
  vulnerabilities: { label: 'Vulns', width: 4.5, render: (i) => count(i, 'vulnerabilities', Object.values(v(i)).reduce((a, b) => a + b, 0)) },
  viruses: { label: 'Viruses', width: 4.5, render: (i) => count(i, 'malware', i.risks.viruses) },
  trojans: { label: 'Trojans', width: 4.5, render: (i) => count(i, 'malware', i.risks.trojans) },
  sensitive: { label: 'Sensitive', width: 5, render: (i) => count(i, 'sensitive', i.risks.sensitive) },
  lastScanned: { label: 'Last scan', width: 10, render: (i) => formatTime(i.lastScanned) },
  servers: { label: 'Servers', width: 8, render: (i) => <span title={i.servers.join(', ')}>{i.servers.join(', ') || '—'}</span> },
  licensed: { label: 'Licensed', width: 5, render: (i) => ('licensed' in i ? (i as { licensed?: boolean }).licensed ? 'Yes' : 'No' : '—') },
};
