/**
 * Alpine's secdb (`secdb.alpinelinux.org/v3.X/{main,community}.json`): per release,
 * per package, `secfixes: { "<fixed apk version>": ["CVE-…", …] }`. Converted to the
 * records osv.dev publishes for Alpine: one `ALPINE-<CVE>` per flaw, affecting
 * `Alpine:v3.X` / the package from the beginning up to the fixed version. A fixed
 * version of `"0"` means the package was never affected in that release: no range.
 */
import type { OsvAffected, OsvRecord } from '@shipshape/analyzers/match/index.ts';
import { fromRecord, type SourceItem } from './parsed.ts';

interface SecdbFile {
  distroversion?: unknown;
  reponame?: unknown;
  packages?: unknown;
}

export function looksLikeAlpineSecdb(value: unknown): boolean {
  const v = value as SecdbFile;
  return typeof v === 'object' && v !== null && typeof v.distroversion === 'string' && Array.isArray(v.packages);
}

export interface AlpineConversion {
  items: SourceItem[];
  /** secfixes entries under `"0"`: flaws the release was never affected by. */
  notAffected: number;
}

export function convertAlpineSecdb(value: unknown, where: string, modified: string): AlpineConversion {
  const file = value as SecdbFile;
  if (!looksLikeAlpineSecdb(file)) return { items: [{ problem: 'not an Alpine secdb file', where }], notAffected: 0 };
  const release = String(file.distroversion);
  const ecosystem = `Alpine:${release.startsWith('v') ? release : `v${release}`}`;
  const byId = new Map<string, OsvRecord>();
  const items: SourceItem[] = [];
  let notAffected = 0;
  for (const [index, entry] of (file.packages as unknown[]).entries()) {
    const pkg = (entry as { pkg?: { name?: unknown; secfixes?: unknown } })?.pkg;
    if (!pkg || typeof pkg.name !== 'string') {
      items.push({ problem: 'package entry without a name', where: `${where}#packages[${index}]` });
      continue;
    }
    const secfixes = pkg.secfixes;
    if (secfixes === undefined || secfixes === null) continue;
    if (typeof secfixes !== 'object' || Array.isArray(secfixes)) {
      items.push({ problem: 'secfixes is not an object', where: `${where}#${pkg.name}` });
      continue;
    }
    for (const [fixed, ids] of Object.entries(secfixes as Record<string, unknown>)) {
      const tokens = Array.isArray(ids) ? ids.flatMap((s) => (typeof s === 'string' ? [s.trim().split(/\s+/).filter(Boolean)] : [])) : [];
      for (const names of tokens) {
        const flaw = names.find((n) => n.startsWith('CVE-')) ?? names[0];
        if (!flaw) continue;
        if (fixed === '0') {
          notAffected++;
          continue;
        }
        const id = `ALPINE-${flaw}`;
        const affected: OsvAffected = {
          package: { ecosystem, name: pkg.name, purl: `pkg:apk/alpine/${pkg.name}` },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
        };
        const existing = byId.get(id);
        if (existing) {
          existing.affected?.push(affected);
          for (const n of names) if (!existing.aliases?.includes(n)) existing.aliases?.push(n);
          continue;
        }
        byId.set(id, {
          id,
          modified,
          aliases: [...new Set(names)],
          summary: `${flaw} in ${pkg.name}`,
          details: '',
          affected: [affected],
          references: [{ type: 'ADVISORY', url: `https://security.alpinelinux.org/vuln/${flaw}` }],
          database_specific: { source: 'alpine-secdb', distroversion: release, reponame: typeof file.reponame === 'string' ? file.reponame : null },
        });
      }
    }
  }
  for (const record of byId.values()) items.push(fromRecord(record, `${where}#${record.id}`));
  return { items, notAffected };
}
