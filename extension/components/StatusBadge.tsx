const labels: Record<string, string> = {
  not_scanned: 'Not scanned',
  scanning: 'Scanning',
  scanned: 'Scanned',
  cancelled: 'Cancelled',
  scan_exception: 'Scan failed',
  unknown: 'Unknown',
  safe: 'Safe',
  at_risk: 'At risk',
  incomplete: 'Incomplete',
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  online: 'Online',
  offline: 'Offline',
};

/**
 * A coloured label for a status or severity; the class carries the colour, the text the
 * meaning, and `detail` (why a scan failed) shows on hover.
 */
export function StatusBadge({ value, detail }: { value: string; detail?: string | null }) {
  return (
    <span class={`badge badge-${value}`} data-status={value} {...(detail ? { title: detail } : {})}>
      {labels[value] ?? value}
    </span>
  );
}
