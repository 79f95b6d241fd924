import { SensitiveType, type SensitiveFinding, type Severity } from '@shipshape/shared';
import { useState } from 'preact/hooks';
import type { Api } from '../../lib/api';
import { useResource } from '../../lib/useResource';
import { StatusBadge } from '../StatusBadge';
import { FindingList } from './FindingList';
import { IgnoreDialog } from './IgnoreDialog';
import { IgnoredSection } from './IgnoredSection';
import { SeverityFilter } from './SeverityFilter';

const headline = (s: SensitiveFinding) => (
  <>
    <StatusBadge value={s.severity} /> <strong>{s.name}</strong> <span class="tag">{s.type.replace('_', ' ')}</span> <code>{s.path}</code>
  </>
);

/** Sensitive data: filters by severity, name and type; values come masked from the helper; each can be ignored. */
export function SensitiveTab({ api, imageId, version, onChanged }: { api: Api; imageId: string; version: number; onChanged(): void }) {
  const [ignoring, setIgnoring] = useState<SensitiveFinding | null>(null);
  const [severity, setSeverity] = useState<Severity[]>([]);
  const [name, setName] = useState('');
  const [type, setType] = useState('');
  const list = useResource(
    () => api.sensitive(imageId, { severity: severity.join(',') || undefined, name: name.trim() || undefined, type: type || undefined, limit: 500 }),
    [imageId, version, severity.join(','), name, type],
  );
  return (
    <>
      <div class="filters">
        <SeverityFilter value={severity} onChange={setSeverity} />
        <input type="search" aria-label="Filter sensitive data by name" placeholder="Name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label>
          Type{' '}
          <select value={type} onChange={(e) => setType(e.currentTarget.value)}>
            <option value="">All</option>
            {SensitiveType.options.map((t) => <option key={t} value={t}>{t.replace('_', ' ')}</option>)}
          </select>
        </label>
      </div>
      <FindingList resource={list} empty="No sensitive data found.">
        {(s) => (
          <details>
            <summary>{headline(s)}</summary>
            <div class="finding-detail">
              <dl class="facts">
                <dt>Value</dt><dd><code>{s.match}</code></dd>
                <dt>Where</dt><dd><code>{s.path}</code>{s.line !== null && `:${s.line}`}</dd>
                <dt>Layer</dt><dd><code class="block">{s.layer?.createdBy ?? s.layer?.diffId ?? '—'}</code></dd>
                <dt>Rule</dt><dd>{s.ruleId}</dd>
                <dt>What to do</dt><dd>{s.recommendation}</dd>
              </dl>
              <button type="button" onClick={() => setIgnoring(s)}>Ignore…</button>
            </div>
          </details>
        )}
      </FindingList>
      <IgnoredSection api={api} ignored={list.data?.ignored} onChanged={onChanged}>{headline}</IgnoredSection>
      {ignoring && <IgnoreDialog api={api} imageId={imageId} title={`${ignoring.name} at ${ignoring.path}`} finding={{ kind: 'secret', item: ignoring }} onDone={onChanged} onClose={() => setIgnoring(null)} />}
    </>
  );
}
