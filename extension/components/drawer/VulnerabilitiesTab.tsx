import type { Severity, Vulnerability } from '@shipshape/shared';
import { useState } from 'preact/hooks';
import type { Api } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import { StatusBadge } from '../StatusBadge';
import { FindingList } from './FindingList';
import { IgnoreDialog } from './IgnoreDialog';
import { IgnoredSection } from './IgnoredSection';
import { SeverityFilter } from './SeverityFilter';

const headline = (v: Vulnerability) => (
  <>
    <StatusBadge value={v.severity} /> <strong>{v.id}</strong> {v.package.name} {v.package.version}
  </>
);

/** Vulnerabilities: severity filter, search by ID/name/package; each opens to its details and fix, and can be ignored. */
export function VulnerabilitiesTab({ api, imageId, version, onChanged }: { api: Api; imageId: string; version: number; onChanged(): void }) {
  const [ignoring, setIgnoring] = useState<Vulnerability | null>(null);
  const [severity, setSeverity] = useState<Severity[]>([]);
  const [q, setQ] = useState('');
  const [fixable, setFixable] = useState(false);
  const list = useResource(
    () => api.vulnerabilities(imageId, { severity: severity.join(',') || undefined, q: q.trim() || undefined, fixable: fixable ? 'true' : undefined, limit: 500 }),
    [imageId, version, severity.join(','), q, fixable],
  );
  return (
    <>
      <div class="filters">
        <SeverityFilter value={severity} onChange={setSeverity} />
        <input type="search" aria-label="Search vulnerabilities by ID, name or package" placeholder="CVE, name or package" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <label class="check"><input type="checkbox" checked={fixable} onChange={(e) => setFixable(e.currentTarget.checked)} /> Fixable only</label>
      </div>
      <FindingList resource={list} empty="No vulnerability matches.">
        {(v) => (
          <details>
            <summary>
              {headline(v)}
              {v.tags.includes('fixable') && <span class="tag">fixable</span>}
              {v.tags.includes('suggested') && <span class="tag">suggested</span>}
            </summary>
            <div class="finding-detail">
              <p>{v.summary || v.details}</p>
              {v.details && v.summary && <p class="muted">{v.details}</p>}
              <dl class="facts">
                <dt>CVSS</dt><dd>{v.cvss.score ?? '—'} {v.cvss.vector && <code>{v.cvss.vector}</code>}</dd>
                <dt>Aliases</dt><dd>{v.aliases.join(', ') || '—'}</dd>
                <dt>Package</dt><dd>{v.package.ecosystem} · <code>{v.package.purl}</code></dd>
                <dt>Fixed in</dt><dd>{v.fixedVersions.join(', ') || v.fixStatus}</dd>
                <dt>Fix</dt><dd>{v.fixCommand ? <code class="block">{v.fixCommand}</code> : '—'}</dd>
                <dt>Introduced by</dt><dd><code class="block">{v.layer.createdBy ?? v.layer.diffId}</code></dd>
                <dt>Published</dt><dd>{formatTime(v.published)}</dd>
                <dt>References</dt>
                <dd>
                  <ul>{v.references.slice(0, 10).map((r) => <li key={r}><a href={r} target="_blank" rel="noreferrer noopener">{r}</a></li>)}</ul>
                </dd>
              </dl>
              <button type="button" onClick={() => setIgnoring(v)}>Ignore…</button>
            </div>
          </details>
        )}
      </FindingList>
      <IgnoredSection api={api} ignored={list.data?.ignored} onChanged={onChanged}>{headline}</IgnoredSection>
      {ignoring && <IgnoreDialog api={api} imageId={imageId} title={ignoring.id} finding={{ kind: 'vulnerability', item: ignoring }} onDone={onChanged} onClose={() => setIgnoring(null)} />}
    </>
  );
}
