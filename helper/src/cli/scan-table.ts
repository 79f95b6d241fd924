/** `shipshape scan --format table`: the report for people, one aligned table per section. */
import { epssLabel, knownExploitedLabel, type IgnoreRule, type MalwareFinding, type ScanReport, type SensitiveFinding, type Vulnerability } from '@shipshape/shared';

type Ignored<T> = { item: T; ignore: IgnoreRule };

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const short = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

/** The rating, and where it came from when not from the advisory itself. */
const severityCell = (v: Vulnerability) => (v.severitySource === 'nvd' ? `${v.severity} (NVD)` : v.severitySource === 'distro' ? `${v.severity} (distro)` : v.severity);
const exploitCell = (v: Vulnerability) => [v.knownExploited && knownExploitedLabel(v.knownExploited), v.epss && epssLabel(v.epss)].filter(Boolean).join(', ');

export function formatTable(report: ScanReport): string {
  const { image } = report;
  const layerIndex = new Map(image.layers.map((l, i) => [l.diffId, i + 1]));
  const out: string[] = [
    `Image         ${short(image.id)}${image.tags.length ? `  (${image.tags.join(', ')})` : ''}`,
    `OS            ${image.os ? `${image.os.prettyName ?? `${image.os.family} ${image.os.version}`}` : 'unknown'}`,
    `Architecture  ${image.architecture}`,
    `Layers        ${image.layers.length}`,
    '',
    `Packages (${report.packages.length})`,
    table(
      ['ECOSYSTEM', 'NAME', 'VERSION', 'SOURCE', 'LAYER'],
      report.packages.map((p) => [
        p.ecosystem,
        p.name,
        p.version,
        p.sourceName && (p.sourceName !== p.name || p.sourceVersion !== p.version) ? `${p.sourceName} ${p.sourceVersion ?? ''}`.trim() : '',
        String(layerIndex.get(p.layer.diffId) ?? '?'),
      ]),
    ),
  ];
  if (report.vulnerabilities) {
    const bySeverity = ['critical', 'high', 'medium', 'low', 'unknown'].map((s) => `${report.vulnerabilities!.filter((v) => v.severity === s).length} ${s}`);
    out.push('', `Vulnerabilities (${report.vulnerabilities.length}: ${bySeverity.join(', ')}; worst first)`);
    out.push(
      table(
        ['ID', 'SEVERITY', 'PACKAGE', 'VERSION', 'FIXED IN', 'EXPLOITATION'],
        report.vulnerabilities.map((v) => [v.id, severityCell(v), v.package.name, v.package.version, v.fixedVersions.join(', '), exploitCell(v)]),
      ),
    );
  }
  if (report.sensitive) {
    out.push('', `Sensitive items (${report.sensitive.length})`);
    out.push(table(['RULE', 'SEVERITY', 'PATH', 'LINE', 'IN FINAL FS'], report.sensitive.map((s) => [s.ruleId, s.severity, s.path, s.line === null ? '' : String(s.line), s.inFinalFilesystem ? 'yes' : 'no'])));
  }
  if (report.malware) {
    out.push('', `Malware (${report.malware.length})`);
    out.push(table(['NAME', 'TYPE', 'PATH', 'IN FINAL FS'], report.malware.map((m) => [m.name, m.type, m.path, m.inFinalFilesystem ? 'yes' : 'no'])));
  }
  out.push('', 'Layers');
  out.push(table(['#', 'DIFF ID', 'SIZE', 'CREATED BY'], image.layers.map((l, i) => [String(i + 1), short(l.diffId), l.size === undefined ? '' : `${(l.size / 1e6).toFixed(1)} MB`, (l.createdBy ?? '').slice(0, 100)])));
  if (report.notes.length > 0) out.push('', 'Notes', ...report.notes.map((n) => `- ${n}`));
  return `${out.join('\n')}\n`;
}

/** The findings an ignore covers, with why and until when (they never just disappear). */
export function formatIgnored(ignored: { vulnerabilities: Ignored<Vulnerability>[]; sensitive: Ignored<SensitiveFinding>[]; malware: Ignored<MalwareFinding>[] }): string {
  const why = (i: IgnoreRule) => [i.reason, i.justification].filter(Boolean).join(': ');
  const rows = [
    ...ignored.vulnerabilities.map(({ item, ignore }) => ['vulnerability', item.id, item.severity, `${item.package.name} ${item.package.version}`, why(ignore), ignore.expiresAt ?? '', ignore.note]),
    ...ignored.sensitive.map(({ item, ignore }) => ['secret', item.ruleId, item.severity, item.path, why(ignore), ignore.expiresAt ?? '', ignore.note]),
    ...ignored.malware.map(({ item, ignore }) => ['malware', item.name, item.severity, item.path, why(ignore), ignore.expiresAt ?? '', ignore.note]),
  ];
  if (rows.length === 0) return '';
  return `\nIgnored (${rows.length}: not counted)\n${table(['KIND', 'ID', 'SEVERITY', 'WHERE', 'REASON', 'EXPIRES', 'NOTE'], rows)}\n`;
}
