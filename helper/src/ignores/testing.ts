/** Findings, reports and ignores for the ignore and VEX unit tests. */
import type { IgnoreRule, MalwareFinding, ScanReport, SensitiveFinding, Vulnerability } from '@shipshape/shared';

export const IMAGE = `sha256:${'a'.repeat(64)}`;
export const OTHER_IMAGE = `sha256:${'b'.repeat(64)}`;
const layer = { diffId: 'sha256:l1', createdBy: null };

export function vuln(id: string, pkg: string, patch: Partial<Vulnerability> = {}): Vulnerability {
  const [name, version] = pkg.split('@') as [string, string];
  return {
    id,
    aliases: [],
    summary: '',
    details: '',
    severity: 'critical',
    cvss: { score: null, vector: null },
    package: { ecosystem: 'npm', name, version, purl: `pkg:npm/${name}@${version}` },
    fixedVersions: ['9.9.9'],
    fixStatus: 'fixed',
    fixCommand: null,
    references: [],
    published: null,
    modified: null,
    layer,
    tags: ['fixable', 'suggested'],
    ...patch,
  };
}

export function secret(ruleId: string, path: string): SensitiveFinding {
  return { ruleId, name: ruleId, type: 'private_key', severity: 'high', path, line: 1, layer, match: '-----BEGIN***', recommendation: '', inFinalFilesystem: true };
}

export function malware(name: string, path: string): MalwareFinding {
  return { name, type: 'virus', subtype: 'test-file', severity: 'critical', path, fileName: path.split('/').pop()!, size: 68, md5: null, sha256: null, layer, engine: 'builtin', description: '', suggestion: '', inFinalFilesystem: true };
}

export function report(parts: Partial<Pick<ScanReport, 'vulnerabilities' | 'sensitive' | 'malware'>>, id = IMAGE): ScanReport {
  return { image: { id, tags: ['app:1'], os: null, architecture: 'amd64', layers: [] }, packages: [], notes: [], ...parts };
}

export function rule(target: IgnoreRule['target'], patch: Partial<IgnoreRule> = {}): IgnoreRule {
  return { id: `r${Math.random().toString(36).slice(2, 10)}`, target, image: null, imageName: null, reason: 'accepted', justification: null, note: '', expiresAt: null, setBy: 'browser', createdAt: '2026-01-01T00:00:00.000Z', ...patch };
}
