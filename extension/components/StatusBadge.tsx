const labels: Record<string, string> = {
  not_scanned: 'Not scanned',
  scanning: 'Scanning',
  scanned: 'Scanned',
  cancelled: 'Cancelled',
  scan_exception: 'Scan failed',
  unknown: 'Unknown',
  safe: 'Safe',
  at_risk: 'At risk',
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** A coloured label for a status or severity; the class carries the colour, the text the meaning. */
export function StatusBadge({ value }: { value: string }) {
  return <span class={`badge badge-${value}`} data-status={value}>{labels[value] ?? value}</span>;
}
