/** Filters, sorts and pages the finding lists of one stored report (the image detail routes). */
import type {
  HistoryStep,
  MalwareFinding,
  MalwareQuery,
  Package,
  PackageQuery,
  ScanReport,
  SensitiveFinding,
  SensitiveQuery,
  Severity,
  Vulnerability,
  VulnerabilityQuery,
} from '@shipshape/shared';

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, unknown: 0 };
const includes = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.toLowerCase());
const page = <T>(items: T[], q: { offset: number; limit: number }) => ({ total: items.length, items: items.slice(q.offset, q.offset + q.limit) });

/** Reports written before severity sources and exploit data existed: say so rather than leave gaps. */
const withExploitFields = (v: Vulnerability): Vulnerability =>
  v.severitySource !== undefined && v.knownExploited !== undefined && v.epss !== undefined
    ? v
    : { ...v, severitySource: v.severitySource ?? (v.severity === 'unknown' ? 'none' : 'advisory'), knownExploited: v.knownExploited ?? null, epss: v.epss ?? null };

export function queryVulnerabilities(report: ScanReport, q: VulnerabilityQuery) {
  let items: Vulnerability[] = (report.vulnerabilities ?? []).map(withExploitFields);
  if (q.severity) items = items.filter((v) => q.severity!.includes(v.severity));
  if (q.fixable !== undefined) items = items.filter((v) => v.tags.includes('fixable') === q.fixable);
  if (q.knownExploited !== undefined) items = items.filter((v) => Boolean(v.knownExploited) === q.knownExploited);
  if (q.epssMin !== undefined) items = items.filter((v) => (v.epss?.score ?? -1) >= q.epssMin!);
  if (q.q) {
    const term = q.q;
    items = items.filter((v) => includes(v.id, term) || v.aliases.some((a) => includes(a, term)) || includes(v.summary, term) || includes(v.package.name, term));
  }
  const key: Record<VulnerabilityQuery['sort'], (v: Vulnerability) => number | string> = {
    severity: (v) => SEVERITY_RANK[v.severity] * 100 + (v.cvss.score ?? 0),
    id: (v) => v.id,
    package: (v) => v.package.name,
    published: (v) => v.published ?? '',
    cvss: (v) => v.cvss.score ?? -1,
    epss: (v) => v.epss?.score ?? -1,
    // Known exploited first (the most recently added first: the newest campaigns), then EPSS, then severity.
    exploit: (v) => `${v.knownExploited ? `1${v.knownExploited.dateAdded}` : '0'}|${(v.epss?.score ?? 0).toFixed(5)}|${SEVERITY_RANK[v.severity]}|${String(Math.round((v.cvss.score ?? 0) * 10)).padStart(3, '0')}`,
  };
  return page(sortBy(items, key[q.sort], q.order), q);
}

export function querySensitive(report: ScanReport, q: SensitiveQuery) {
  let items: SensitiveFinding[] = report.sensitive ?? [];
  if (q.severity) items = items.filter((s) => q.severity!.includes(s.severity));
  if (q.type) items = items.filter((s) => s.type === q.type);
  if (q.name) items = items.filter((s) => includes(s.name, q.name!) || includes(s.ruleId, q.name!));
  return page(sortBy(items, (s) => SEVERITY_RANK[s.severity], 'desc'), q);
}

export function queryMalware(report: ScanReport, q: MalwareQuery) {
  let items: MalwareFinding[] = report.malware ?? [];
  if (q.severity) items = items.filter((m) => q.severity!.includes(m.severity));
  if (q.q) items = items.filter((m) => includes(m.fileName, q.q!) || includes(m.path, q.q!) || includes(m.name, q.q!));
  return page(sortBy(items, (m) => SEVERITY_RANK[m.severity], 'desc'), q);
}

export function queryPackages(report: ScanReport, q: PackageQuery) {
  let items: Package[] = report.packages;
  if (q.ecosystem) items = items.filter((p) => includes(p.ecosystem, q.ecosystem!));
  if (q.q) items = items.filter((p) => includes(p.name, q.q!) || includes(p.purl, q.q!));
  return page(sortBy(items, (p) => `${p.ecosystem}\u0000${p.name}`, 'asc'), q);
}

/** Each build step with the findings its layer introduced (steps without a layer introduce none). */
export function historyWithFindings(history: HistoryStep[], report: ScanReport | null) {
  const count = (items: Array<{ layer: { diffId: string } | null }> | undefined, diffId: string) => (items ?? []).filter((i) => i.layer?.diffId === diffId).length;
  return history.map((step) => ({
    ...step,
    introduced:
      report && step.diffId
        ? {
            packages: count(report.packages, step.diffId),
            vulnerabilities: count(report.vulnerabilities, step.diffId),
            sensitive: count(report.sensitive, step.diffId),
            malware: count(report.malware, step.diffId),
          }
        : { packages: 0, vulnerabilities: 0, sensitive: 0, malware: 0 },
  }));
}

function sortBy<T>(items: T[], key: (item: T) => number | string, order: 'asc' | 'desc'): T[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -sign : ka > kb ? sign : 0;
  });
}
