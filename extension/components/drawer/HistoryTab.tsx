import type { Api } from '../../lib/api';
import { formatBytes, formatTime } from '../../lib/format';
import { useResource } from '../../lib/useResource';

/** Build history: each step with its layer size and the findings it introduced. */
export function HistoryTab({ api, imageId, version }: { api: Api; imageId: string; version: number }) {
  const history = useResource(() => api.history(imageId), [imageId, version]);
  if (history.error) return <p role="alert" class="error">{history.error}</p>;
  if (!history.data) return <p role="status">Loading…</p>;
  return (
    <ol class="history">
      {history.data.items.map((step, i) => {
        const found = step.introduced;
        return (
          <li key={i} class={step.emptyLayer ? 'muted' : ''}>
            <code class="block">{step.createdBy || '(no command)'}</code>
            <span>
              {step.emptyLayer ? 'metadata only' : formatBytes(step.size)} · {formatTime(step.created)}
              {found.vulnerabilities + found.sensitive + found.malware > 0 && (
                <strong class="count"> · {found.vulnerabilities} vulnerabilities, {found.sensitive} sensitive, {found.malware} malware</strong>
              )}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
