/**
 * The Debian security tracker's advisory lists (`data/DSA/list`, `data/DLA/list`):
 *
 *   [29 Mar 2023] DSA-5380-1 xorg-server - security update
 *   	{CVE-2023-1393}
 *   	[bullseye] - xorg-server 2:1.20.11-1+deb11u6
 *
 * One record per advisory (the ID osv.dev also uses), its CVEs as aliases, and per
 * release line an affected source package in `Debian:<release number>`, fixed at the
 * given version. `<not-affected>` lines add nothing; `<unfixed>` and `<end-of-life>`
 * leave the range open (no fix for that release).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { OsvAffected, OsvRecord } from '@shipshape/analyzers/match/index.ts';
import { fromRecord, type SourceItem } from './parsed.ts';

/**
 * Codename → release number as image inventories write it (`Debian:<major>`, from
 * os-release VERSION_ID / debian_version). Releases before etch had point-numbered
 * majors (3.0 woody, 3.1 sarge) and keep them.
 */
export const debianReleases: Record<string, string> = {
  hamm: '2.0', slink: '2.1', potato: '2.2', woody: '3.0', sarge: '3.1', etch: '4', lenny: '5', squeeze: '6',
  wheezy: '7', jessie: '8', stretch: '9', buster: '10', bullseye: '11', bookworm: '12', trixie: '13', forky: '14', duke: '15',
};

const months: Record<string, string> = {
  Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12',
};

const headerLine = /^\[(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})\]\s+((?:DSA|DLA|DTSA)-\d+(?:-\d+)?)\s+(.*)$/;
const cveLine = /^\s+\{([^}]*)\}\s*$/;
const releaseLine = /^\s+\[([a-z-]+)\]\s+-\s+(\S+)(?:\s+(\S+))?(?:\s+(.*))?$/;

export function looksLikeDebianList(firstLine: string): boolean {
  return headerLine.test(firstLine);
}

interface Pending {
  record: OsvRecord;
  line: number;
}

export interface DebianListStats {
  /** Lines that are neither a header, a CVE list, a release line nor a NOTE. */
  unparsedLines: number;
  notAffected: number;
}

export async function* readDebianList(file: string, modified: string, stats: DebianListStats): AsyncGenerator<SourceItem> {
  const raw = createReadStream(file);
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (e) => input.destroy(e));
  let current: Pending | null = null;
  let n = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    n++;
    const header = headerLine.exec(line);
    if (header) {
      if (current) yield fromRecord(current.record, `${file}:${current.line}`);
      const [, day, month, year, id, rest] = header as unknown as [string, string, string, string, string, string];
      const published = `${year}-${months[month] ?? '01'}-${day.padStart(2, '0')}T00:00:00Z`;
      current = {
        line: n,
        record: {
          id,
          modified,
          published,
          aliases: [],
          summary: rest.trim(),
          details: '',
          affected: [],
          references: [{ type: 'ADVISORY', url: `https://security-tracker.debian.org/tracker/${id}` }],
          database_specific: { source: 'debian-security-tracker' },
        },
      };
      continue;
    }
    if (!current || line.trim() === '' || /^\s+NOTE:/.test(line)) continue;
    const cves = cveLine.exec(line);
    if (cves) {
      for (const cve of (cves[1] ?? '').split(/\s+/).filter(Boolean)) if (!current.record.aliases?.includes(cve)) current.record.aliases?.push(cve);
      continue;
    }
    const rel = releaseLine.exec(line);
    if (rel) {
      const [, codename, pkg, version] = rel as unknown as [string, string, string, string | undefined];
      const number = debianReleases[codename];
      if (!number || !version) {
        stats.unparsedLines++;
        continue;
      }
      if (version === '<not-affected>') {
        stats.notAffected++;
        continue;
      }
      const open = version.startsWith('<');
      const entry: OsvAffected = {
        package: { ecosystem: `Debian:${number}`, name: pkg, purl: `pkg:deb/debian/${pkg}?arch=source` },
        ranges: [{ type: 'ECOSYSTEM', events: open ? [{ introduced: '0' }] : [{ introduced: '0' }, { fixed: version }] }],
        ...(open ? { database_specific: { status: version.replace(/[<>]/g, '') } } : {}),
      };
      current.record.affected?.push(entry);
      continue;
    }
    stats.unparsedLines++;
  }
  if (current) yield fromRecord(current.record, `${file}:${current.line}`);
}
