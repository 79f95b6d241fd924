/** Risk counts as labelled tiles (popup and drawer summary); a non-zero count is coloured. */
export function RiskTiles({ counts, testId }: { counts: Array<[key: string, label: string, value: number]>; testId?: string }) {
  return (
    <div class="tiles" data-testid={testId}>
      {counts.map(([key, label, value]) => (
        <div key={key} class={`tile tile-${key}${value ? ' hot' : ''}`}>
          <span class="tile-value" data-risk={key}>{value}</span>
          <span class="tile-label">{label}</span>
        </div>
      ))}
    </div>
  );
}
