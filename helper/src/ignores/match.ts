/**
 * Which ignores cover which findings of one image's report, at a given time. The report
 * splits into what still counts (`active`) and what an ignore covers (`ignored`, each with
 * the ignore that covers it). Everything that counts, gates or notifies reads `active`.
 */
import { parsePurl } from '@shipshape/analyzers';
import type { IgnoreRule, MalwareFinding, ScanReport, SensitiveFinding, Vulnerability } from '@shipshape/shared';

/** What identifies an image to an ignore: its ID and the registry digests it was pulled by. */
export interface ImageIdentity {
  id: string;
  /** `repo@sha256:…` as Docker lists them (RepoDigests), or bare digests. */
  digests?: readonly string[];
}

export interface Ignored<T> {
  item: T;
  ignore: IgnoreRule;
}

export interface SplitReport {
  /** The report without ignored findings. */
  active: ScanReport;
  ignored: { vulnerabilities: Ignored<Vulnerability>[]; sensitive: Ignored<SensitiveFinding>[]; malware: Ignored<MalwareFinding>[] };
}

/** The moment an ignore with this date stops applying: 00:00 UTC of that day (as `.trivyignore`'s `exp:`). */
export function expiryTime(expiresAt: string): number {
  return Date.parse(`${expiresAt}T00:00:00Z`);
}

export function isExpired(rule: Pick<IgnoreRule, 'expiresAt'>, now: Date): boolean {
  return rule.expiresAt !== null && now.getTime() >= expiryTime(rule.expiresAt);
}

/** `repo@sha256:…` → `sha256:…` (a bare digest stays as it is). */
export const digestOf = (reference: string) => reference.slice(reference.lastIndexOf('@') + 1);

/** Whether an ignore is for this image (or for all images). */
export function appliesToImage(rule: Pick<IgnoreRule, 'image'>, image: ImageIdentity): boolean {
  if (rule.image === null) return true;
  return rule.image === image.id || (image.digests ?? []).some((d) => digestOf(d) === rule.image);
}

/** The ignores in force for one image now: its own and all-image ones, not expired. */
export function inForce(rules: readonly IgnoreRule[], image: ImageIdentity, now: Date): IgnoreRule[] {
  return rules.filter((r) => appliesToImage(r, image) && !isExpired(r, now));
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Package URLs name the same package: type, namespace, name, and version when the rule has one (qualifiers aside). */
export function samePackage(rulePurl: string, findingPurl: string): boolean {
  const want = safeParsePurl(rulePurl);
  const have = safeParsePurl(findingPurl);
  if (!want || !have) return rulePurl === findingPurl;
  return (
    want.type === have.type &&
    (want.namespace ?? '') === (have.namespace ?? '') &&
    want.name === have.name &&
    (want.version === undefined || want.version === have.version)
  );
}

function safeParsePurl(text: string) {
  try {
    return parsePurl(text);
  } catch {
    return null; // a malformed percent escape
  }
}

export function coversVulnerability(rule: IgnoreRule, v: Vulnerability): boolean {
  const t = rule.target;
  if (t.kind !== 'vulnerability') return false;
  if (!same(t.id, v.id) && !v.aliases.some((a) => same(t.id, a))) return false;
  return t.package === null || samePackage(t.package, v.package.purl);
}

export function coversSecret(rule: IgnoreRule, s: SensitiveFinding): boolean {
  const t = rule.target;
  return t.kind === 'secret' && t.ruleId === s.ruleId && (t.path === null || t.path === s.path);
}

export function coversMalware(rule: IgnoreRule, m: MalwareFinding): boolean {
  const t = rule.target;
  return t.kind === 'malware' && same(t.signature, m.name) && (t.path === null || t.path === m.path);
}

/**
 * Splits a report by the ignores in force (`rules` already narrowed to this image and time,
 * see `inForce`). The first covering ignore is the one shown. An ignored vulnerability loses
 * its `suggested` tag: it no longer counts towards priority.
 */
export function splitReport(report: ScanReport, rules: readonly IgnoreRule[]): SplitReport {
  const ignored: SplitReport['ignored'] = { vulnerabilities: [], sensitive: [], malware: [] };
  if (rules.length === 0) return { active: report, ignored };
  const part = <T>(items: T[] | undefined, covers: (rule: IgnoreRule, item: T) => boolean, into: Ignored<T>[], strip: (item: T) => T = (i) => i): T[] | undefined => {
    if (!items) return items;
    const kept: T[] = [];
    for (const item of items) {
      const rule = rules.find((r) => covers(r, item));
      if (rule) into.push({ item: strip(item), ignore: rule });
      else kept.push(item);
    }
    return kept;
  };
  const unsuggest = (v: Vulnerability): Vulnerability => ({ ...v, tags: v.tags.filter((t) => t !== 'suggested') });
  const active: ScanReport = { ...report };
  if (report.vulnerabilities) active.vulnerabilities = part(report.vulnerabilities, coversVulnerability, ignored.vulnerabilities, unsuggest);
  if (report.sensitive) active.sensitive = part(report.sensitive, coversSecret, ignored.sensitive);
  if (report.malware) active.malware = part(report.malware, coversMalware, ignored.malware);
  return { active, ignored };
}
