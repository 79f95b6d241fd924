/**
 * A scan report as SARIF 2.1.0: one rule per vulnerability ID / secret rule / malware name.
 * Ignored findings, when given, are results too, with an external accepted `suppression`
 * saying why: code-scanning views show them as suppressed instead of losing them.
 */
import type { IgnoreRule, MalwareFinding, ScanReport, SensitiveFinding, Severity, Vulnerability } from '@shipshape/shared';

/** Findings an ignore covers, each with that ignore. */
export interface SuppressedFindings {
  vulnerabilities: Array<{ item: Vulnerability; ignore: IgnoreRule }>;
  sensitive: Array<{ item: SensitiveFinding; ignore: IgnoreRule }>;
  malware: Array<{ item: MalwareFinding; ignore: IgnoreRule }>;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', unknown: 'note' };
const SCORE: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0', unknown: '0.0' };

interface Result {
  ruleId: string;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string } }; logicalLocations?: Array<{ name: string; kind: string }> }>;
  properties: Record<string, unknown>;
  suppressions?: Array<{ kind: 'external'; status: 'accepted'; justification: string }>;
}

const suppression = (ignore: IgnoreRule | undefined) =>
  ignore
    ? {
        suppressions: [
          {
            kind: 'external' as const,
            status: 'accepted' as const,
            justification: [ignore.reason, ignore.justification, ignore.note, ignore.expiresAt ? `until ${ignore.expiresAt}` : null].filter(Boolean).join('; '),
          },
        ],
      }
    : {};

export function toSarif(report: ScanReport, version: string, suppressed?: SuppressedFindings): string {
  const rules = new Map<string, { id: string; shortDescription: { text: string }; properties: Record<string, unknown> }>();
  const results: Result[] = [];
  const rule = (id: string, text: string, severity: Severity, tags: string[]) => {
    if (!rules.has(id)) rules.set(id, { id, shortDescription: { text: text || id }, properties: { 'security-severity': SCORE[severity], tags } });
  };
  const location = (uri: string, layer: string | undefined) => [
    {
      physicalLocation: { artifactLocation: { uri: uri.replace(/^\//, '') } },
      ...(layer ? { logicalLocations: [{ name: layer, kind: 'layer' }] } : {}),
    },
  ];
  const tag = <T>(items: T[] | undefined) => (items ?? []).map((item) => ({ item, ignore: undefined as IgnoreRule | undefined }));
  for (const { item: v, ignore } of [...tag(report.vulnerabilities), ...(suppressed?.vulnerabilities ?? [])]) {
    rule(v.id, v.summary, v.severity, ['vulnerability', ...v.tags]);
    results.push({
      ruleId: v.id,
      level: LEVEL[v.severity],
      message: { text: `${v.package.name} ${v.package.version} is affected by ${v.id}${v.fixedVersions[0] ? `; fixed in ${v.fixedVersions[0]}` : ''}` },
      locations: location(report.packages.find((p) => p.purl === v.package.purl)?.paths[0] ?? v.package.purl, v.layer.diffId),
      properties: { purl: v.package.purl, fixedVersions: v.fixedVersions },
      ...suppression(ignore),
    });
  }
  for (const { item: s, ignore } of [...tag(report.sensitive), ...(suppressed?.sensitive ?? [])]) {
    rule(s.ruleId, s.name, s.severity, ['secret', s.type]);
    results.push({ ruleId: s.ruleId, level: LEVEL[s.severity], message: { text: `${s.name} in ${s.path}: ${s.match}` }, locations: location(s.path, s.layer?.diffId), properties: { line: s.line }, ...suppression(ignore) });
  }
  for (const { item: m, ignore } of [...tag(report.malware), ...(suppressed?.malware ?? [])]) {
    rule(m.name, m.description, m.severity, ['malware', m.type, m.subtype]);
    results.push({ ruleId: m.name, level: LEVEL[m.severity], message: { text: `${m.type} ${m.name} in ${m.path}` }, locations: location(m.path, m.layer?.diffId), properties: { sha256: m.sha256 }, ...suppression(ignore) });
  }
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'shipshape', version, informationUri: 'https://github.com/shipshape', rules: [...rules.values()] } },
          results,
          properties: { imageId: report.image.id, tags: report.image.tags },
        },
      ],
    },
    null,
    2,
  );
}
