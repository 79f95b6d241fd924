/**
 * The CI side of `shipshape scan`: the team's decisions (`--ignore-file`, `--vex`) read before
 * the scan, applied after it, `--ignore-unfixed`, and the gate (`--exit-code N` when a finding at
 * a `--severity` listed remains). A file that cannot be read or understood is an error: the
 * scan does not run, so a broken ignore file never turns into a green build or a red one.
 */
import { readFile } from 'node:fs/promises';
import { Severity, VexDocument, type IgnoreRule, type ScanReport, type Severity as SeverityName } from '@shipshape/shared';
import { ignoreFileRules, parseIgnoreFile } from '../ignores/ignore-file.ts';
import { inForce, splitReport, type ImageIdentity, type SplitReport } from '../ignores/match.ts';
import { fromOpenVex } from '../vex/import.ts';

export class PolicyError extends Error {}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new PolicyError(`cannot read the ${what} ${path}: ${why}`);
  }
}

export async function loadIgnoreFile(path: string, now: Date): Promise<IgnoreRule[]> {
  const text = await readText(path, 'ignore file');
  try {
    return ignoreFileRules(parseIgnoreFile(text, path), path, now.toISOString());
  } catch (error) {
    throw new PolicyError(`the ignore file ${(error as Error).message}`);
  }
}

/** The VEX document, checked now; its products are matched once the scanned image is known. */
export async function loadVex(path: string): Promise<VexDocument> {
  const text = await readText(path, 'VEX file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`the VEX file ${path} is not JSON: ${(error as Error).message}`);
  }
  const parsed = VexDocument.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PolicyError(`the VEX file ${path} is not an OpenVEX document: ${issue.path.join('.') || 'document'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The VEX statements as ignores for this image (a pkg:docker product matches by the image's tags). */
export function vexRules(document: VexDocument, image: ImageIdentity & { tags: readonly string[] }, now: Date): { rules: IgnoreRule[]; skipped: number } {
  const { ignores, skipped } = fromOpenVex(document, { imagesTagged: (ref) => (image.tags.includes(ref) ? [image.id] : []), setBy: 'cli', now });
  return { rules: ignores.map((rule, i) => ({ ...rule, id: `vex-${i}`, createdAt: rule.createdAt ?? now.toISOString() })), skipped: skipped.length };
}

export const hasFix = (v: { fixStatus: string; fixedVersions: string[] }) => v.fixStatus === 'fixed' || v.fixedVersions.length > 0;

export interface Outcome {
  split: SplitReport;
  /** Findings left after ignores at a listed severity: what the gate counts. */
  gated: number;
}

export function applyPolicy(report: ScanReport, rules: readonly IgnoreRule[], image: ImageIdentity, options: { severities: readonly SeverityName[] | null; ignoreUnfixed: boolean; now: Date }): Outcome {
  const input = options.ignoreUnfixed && report.vulnerabilities ? { ...report, vulnerabilities: report.vulnerabilities.filter(hasFix) } : report;
  const split = splitReport(input, inForce(rules, image, options.now));
  const listed = (s: SeverityName) => options.severities === null || options.severities.includes(s);
  const { vulnerabilities = [], sensitive = [], malware = [] } = split.active;
  const gated = [...vulnerabilities, ...sensitive, ...malware].filter((f) => listed(f.severity)).length;
  return { split, gated };
}

/** `critical,high` → the severities; an unknown one is an error naming it. */
export function parseSeverities(text: string | undefined): SeverityName[] | null {
  if (text === undefined) return null;
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = names.filter((n) => !Severity.safeParse(n).success);
  if (names.length === 0 || bad.length > 0) throw new PolicyError(`--severity: '${bad[0] ?? text}' is not a severity (use ${Severity.options.join(', ')})`);
  return names as SeverityName[];
}
