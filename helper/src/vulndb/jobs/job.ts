/**
 * The vulnerability-database work the helper runs (in a worker thread, see in-worker.ts):
 * a feed update (OSV archives from the public bucket or a mirror, then the per-CVE feeds:
 * NVD, CISA KEV, EPSS) or an import of a local file or folder. Both report per-source
 * progress in the API's shape, and end with what each source did; a failed source keeps
 * its previous records.
 */
import type { DataSourceProgress } from '@shipshape/shared';
import { isWithin } from '../../files/import-folders.ts';
import { updateCveData } from '../cve-data/update.ts';
import type { CveDataLocations } from '../cve-data/options.ts';
import { importPath } from '../import-path.ts';
import { vulnDbStatus } from '../store.ts';
import { updateVulnDb } from '../update.ts';
import { cveOutcomes, cveProgress, osvOutcomes, osvProgress, osvSourceName } from '../../scan/data-sources.ts';

export type VulnDbJob =
  /** `cveData`: where the per-CVE feeds come from (`sources: []` for none); their failures never fail the job. */
  | { kind: 'feed'; dataDir: string; baseUrl: string; ecosystems: string[]; cveData?: CveDataLocations }
  /** `folders`: the import folders a walk may follow links into (the API's confinement). */
  | { kind: 'import'; dataDir: string; path: string; folders?: string[] };

export interface VulnDbJobResult {
  /** Records in the database afterwards. */
  records: number | null;
  sources: DataSourceProgress[];
  /** Links met in an imported folder that lead outside the import folders (not read). */
  refused: string[];
  /** Per-CVE feeds that could not be updated and kept their previous data (`nvd:2024: cannot reach …`). */
  problems: string[];
}

const source = (name: string, patch: Partial<DataSourceProgress> = {}): DataSourceProgress => ({
  name,
  phase: 'pending',
  receivedBytes: 0,
  totalBytes: null,
  records: null,
  error: null,
  ...patch,
});

export async function runVulnDbJob(job: VulnDbJob, onProgress: (progress: DataSourceProgress) => void, signal?: AbortSignal): Promise<VulnDbJobResult> {
  const sources = new Map<string, DataSourceProgress>();
  const set = (name: string, patch: Partial<DataSourceProgress>) => {
    const next = { ...(sources.get(name) ?? source(name)), ...patch };
    sources.set(name, next);
    onProgress(next);
  };
  if (job.kind === 'feed') {
    // Named as the Update data dialog lists them (`OSV npm`, `NVD`, `CISA KEV`, `EPSS`).
    const sink = (progress: DataSourceProgress) => set(progress.name, progress);
    for (const ecosystem of job.ecosystems) sink({ name: osvSourceName(ecosystem), phase: 'pending' });
    const osv = await updateVulnDb({
      dataDir: job.dataDir,
      baseUrl: job.baseUrl,
      ecosystems: job.ecosystems,
      ...(signal ? { signal } : {}),
      onProgress: osvProgress(sink),
    });
    osvOutcomes(osv, sink);
    // NVD severities, CISA KEV and EPSS: their own feeds, after the advisories, so a failure
    // there never costs the advisories (the progress lists them; the verdicts do not need them).
    const cveData = await updateCveData({ dataDir: job.dataDir, ...job.cveData, ...(signal ? { signal } : {}), onProgress: cveProgress(sink) });
    cveOutcomes(cveData, sink);
    const problems = cveData.feeds.filter((f) => f.outcome === 'failed').map((f) => `${f.feed}: ${f.error ?? 'failed'}`);
    return { records: vulnDbStatus(job.dataDir)?.records ?? null, sources: [...sources.values()], refused: [], problems };
  }
  const folders = job.folders;
  const result = await importPath(job.dataDir, job.path, {
    ...(folders ? { inside: (real: string) => folders.some((f) => isWithin(f, real)) } : {}),
    onSource: (e) => set(e.source, { phase: e.phase, ...(e.records !== undefined ? { records: e.records } : {}) }),
  });
  return { records: vulnDbStatus(job.dataDir)?.records ?? null, sources: [...sources.values()], refused: result.refused, problems: [] };
}
