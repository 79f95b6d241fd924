import { epssLabel, knownExploitedLabel, type Severity, type Vulnerability } from '@shipshape/shared';
import { useState } from 'preact/hooks';
import type { Api } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import { StatusBadge } from '../StatusBadge';
import { FindingList } from './FindingList';
import { IgnoreDialog } from './IgnoreDialog';
import { IgnoredSection } from './IgnoredSection';
import { SeverityFilter } from './SeverityFilter';

const sorts = [
  ['severity', 'Severity'],
  ['exploit', 'Exploitation (known exploited, EPSS)'],
  ['epss', 'EPSS score'],
  ['cvss', 'CVSS score'],
  ['published', 'Published'],
] as const;

const sourceText: Record<NonNullable<Vulnerability['severitySource']>, string> = {
  advisory: 'from the advisory',
  distro: "the distribution's rating",
  nvd: "NVD's CVSS of its CVE",
  none: 'no rating in the advisory, the distribution or NVD',
};

const headline = (v: Vulnerability) => (
  <>
    <StatusBadge value={v.severity} /> <strong>{v.id}</strong> {v.package.name} {v.package.version}
    {v.knownExploited && <span class="tag exploited" data-tag="known-exploited">{knownExploitedLabel(v.knownExploited)}</span>}
    {v.epss && <span class="tag epss" data-tag="epss">{epssLabel(v.epss)}</span>}
  </>
);

/**
 * Vulnerabilities: severity and exploitation filters, sorts, search by ID/name/package; each
 * opens to its details and fix, and can be ignored.
 */
export function VulnerabilitiesTab({ api, imageId, version, onChanged }: { api: Api; imageId: string; version: number; onChanged(): void }) {
  const [ignoring, setIgnoring] = useState<Vulnerability | null>(null);
  const [severity, setSeverity] = useState<Severity[]>([]);
  const [q, setQ] = useState('');
  const [fixable, setFixable] = useState(false);
  const [exploited, setExploited] = useState(false);
  const [sort, setSort] = useState<(typeof sorts)[number][0]>('severity');
  const list = useResource(
    () =>
      api.vulnerabilities(imageId, {
        severity: severity.join(',') || undefined,
        q: q.trim() || undefined,
        fixable: fixable ? 'true' : undefined,
        knownExploited: exploited ? 'true' : undefined,
        sort,
        limit: 500,
      }),
    [imageId, version, severity.join(','), q, fixable, exploited, sort],
  );
  return (
    <>
      <div class="filters">
        <SeverityFilter value={severity} onChange={setSeverity} />
        <input type="search" aria-label="Search vulnerabilities by ID, name or package" placeholder="CVE, name or package" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <label class="check"><input type="checkbox" checked={fixable} onChange={(e) => setFixable(e.currentTarget.checked)} /> Fixable only</label>
        <label class="check"><input type="checkbox" checked={exploited} onChange={(e) => setExploited(e.currentTarget.checked)} /> Known exploited only</label>
        <label>
          Sort by{' '}
          <select value={sort} onChange={(e) => setSort(e.currentTarget.value as typeof sort)}>
            {sorts.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
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
                <dt>Severity</dt>
                <dd data-testid="severity-source">{v.severity} · {sourceText[v.severitySource ?? (v.severity === 'unknown' ? 'none' : 'advisory')]}</dd>
                <dt>CVSS</dt><dd>{v.cvss.score ?? '—'} {v.cvss.vector && <code>{v.cvss.vector}</code>}</dd>
                {v.knownExploited && (
                  <>
                    <dt>Exploited</dt>
                    <dd>
                      {v.knownExploited.cve} is in CISA's Known Exploited Vulnerabilities catalog since {v.knownExploited.dateAdded}
                      {v.knownExploited.name && ` (${v.knownExploited.name})`}
                      {v.knownExploited.ransomware && '; used in ransomware campaigns'}
                      {v.knownExploited.dueDate && `; US federal agencies had to fix it by ${v.knownExploited.dueDate}`}.
                    </dd>
                  </>
                )}
                {v.epss && (
                  <>
                    <dt>EPSS</dt>
                    <dd>
                      {(v.epss.score * 100).toFixed(1)}% chance of exploitation in the next 30 days ({v.epss.cve}; higher than {(Math.floor(v.epss.percentile * 1000) / 10).toFixed(1)}% of all CVEs{v.epss.date && `, scores of ${v.epss.date}`})
                    </dd>
                  </>
                )}
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
