import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAffected, type OsvRecord } from '@shipshape/analyzers/match/index.ts';
import { convertAlpineSecdb } from './alpine-secdb.ts';
import { readDebianList, type DebianListStats } from './debian-tracker.ts';
import type { SourceItem } from './parsed.ts';

const records = (items: SourceItem[]) => items.flatMap((i) => ('record' in i ? [i.record] : []));

describe('Alpine secdb', () => {
  const secdb = {
    distroversion: 'v3.10',
    reponame: 'main',
    packages: [
      { pkg: { name: 'musl', secfixes: { '1.1.22-r3': ['CVE-2019-14697'], '0': ['CVE-2019-0000'] } } },
      { pkg: { name: 'xen', secfixes: { '4.12.1-r0': ['CVE-2017-10914 XSA-218'] } } },
      { pkg: { name: 'nofixes' } },
      { nonsense: true },
    ],
  };

  it('turns secfixes into ALPINE-<CVE> records for that release, "0" meaning never affected', () => {
    const { items, notAffected } = convertAlpineSecdb(secdb, 'v3.10-main.json', '2024-01-01T00:00:00Z');
    expect(notAffected).toBe(1);
    expect(items.filter((i) => 'problem' in i)).toEqual([{ problem: 'package entry without a name', where: 'v3.10-main.json#packages[3]' }]);
    const [musl, xen] = records(items);
    expect(musl).toMatchObject({ id: 'ALPINE-CVE-2019-14697', aliases: ['CVE-2019-14697'] });
    expect(xen).toMatchObject({ id: 'ALPINE-CVE-2017-10914', aliases: ['CVE-2017-10914', 'XSA-218'] });
    const q = (version: string) => ({ ecosystem: 'Alpine:v3.10', name: 'musl', version });
    expect(isAffected(musl as OsvRecord, q('1.1.22-r2'))).toBe(true);
    expect(isAffected(musl as OsvRecord, q('1.1.22-r3'))).toBe(false);
    expect(isAffected(musl as OsvRecord, { ...q('1.1.22-r2'), ecosystem: 'Alpine:v3.11' })).toBe(false);
  });
});

describe('Debian DSA/DLA lists', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shipshape-dsa-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('reads advisories with CVEs, release codenames as numbers, not-affected and unfixed lines', async () => {
    const file = join(dir, 'list');
    await writeFile(
      file,
      [
        '[29 Mar 2023] DSA-5380-1 xorg-server - security update',
        '\t{CVE-2023-1393}',
        '\t[bullseye] - xorg-server 2:1.20.11-1+deb11u6',
        '\t[buster] - xorg-server <not-affected> (Vulnerable code not present)',
        '[02 Jan 2015] DSA-3118-1 strongswan - security update',
        '        {CVE-2014-9221 CVE-2014-9222 }',
        '\tNOTE: announcement only',
        '\t[wheezy] - strongswan <unfixed>',
        '\t[jessie] - strongswan 5.2.1-5',
        'something unexpected',
        '',
      ].join('\n'),
    );
    const stats: DebianListStats = { unparsedLines: 0, notAffected: 0 };
    const items: SourceItem[] = [];
    for await (const item of readDebianList(file, '2024-01-01T00:00:00Z', stats)) items.push(item);
    const [dsa, strongswan] = records(items);
    expect(stats).toEqual({ unparsedLines: 1, notAffected: 1 });
    expect(dsa).toMatchObject({ id: 'DSA-5380-1', aliases: ['CVE-2023-1393'], published: '2023-03-29T00:00:00Z', summary: 'xorg-server - security update' });
    expect(dsa?.affected?.map((a) => a.package?.ecosystem)).toEqual(['Debian:11']);
    expect(strongswan?.aliases).toEqual(['CVE-2014-9221', 'CVE-2014-9222']);
    const q = (ecosystem: string, version: string) => ({ ecosystem, name: 'strongswan', version });
    expect(isAffected(strongswan as OsvRecord, q('Debian:7', '99.0-1'))).toBe(true); // unfixed in wheezy
    expect(isAffected(strongswan as OsvRecord, q('Debian:8', '5.2.1-4'))).toBe(true);
    expect(isAffected(strongswan as OsvRecord, q('Debian:8', '5.2.1-5'))).toBe(false);
    expect(isAffected(dsa as OsvRecord, { ecosystem: 'Debian:11', name: 'xorg-server', version: '2:1.20.11-1+deb11u5' })).toBe(true);
    expect(isAffected(dsa as OsvRecord, { ecosystem: 'Debian:11', name: 'xorg-server', version: '1.20.11-1+deb11u9' })).toBe(true); // no epoch < epoch 2
  });
});
