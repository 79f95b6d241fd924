import type { Package } from '@shipshape/shared';
import { describe, expect, it } from 'vitest';
import { isAffected } from './affected.ts';
import { canonicalEcosystem, normalizePackageName } from './ecosystem.ts';
import { matchPackages, matchPackagesAsync, type AdvisoryLookup } from './match-packages.ts';
import type { OsvRecord } from './osv.ts';

const layer = { diffId: 'sha256:aaa', createdBy: 'COPY node_modules /app/node_modules' };

function pkg(ecosystem: string, name: string, version: string, extra: Partial<Package> = {}): Package {
  return { ecosystem, name, version, sourceName: null, sourceVersion: null, purl: `pkg:x/${name}@${version}`, paths: [`/app/node_modules/${name}/package.json`], layer, ...extra };
}

/** An in-memory lookup with the store's keying: exact ecosystem, normalised name. */
function lookupOf(records: OsvRecord[]): AdvisoryLookup {
  const index = new Map<string, OsvRecord[]>();
  for (const r of records) {
    for (const a of r.affected ?? []) {
      if (!a.package) continue;
      const ecosystem = canonicalEcosystem(a.package.ecosystem);
      const key = `${ecosystem}\0${normalizePackageName(ecosystem, a.package.name)}`;
      const list = index.get(key) ?? [];
      if (!list.includes(r)) list.push(r);
      index.set(key, list);
    }
  }
  return (ecosystem, name) => [...(index.get(`${ecosystem}\0${name}`) ?? [])];
}

// Real GHSA record (github/advisory-database, CC-BY-4.0), trimmed to the fields used here.
const lodashGhsa: OsvRecord = {
  id: 'GHSA-35jh-r3h4-6jhm',
  modified: '2024-02-08T18:07:49Z',
  published: '2021-05-06T16:05:51Z',
  aliases: ['CVE-2021-23337'],
  summary: 'Command Injection in lodash',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [
    { package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] },
    { package: { ecosystem: 'npm', name: 'lodash-es' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] },
  ],
  references: [{ type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337' }],
  database_specific: { severity: 'HIGH' },
};
const lodashCve: OsvRecord = {
  id: 'CVE-2021-23337',
  modified: '2024-01-01T00:00:00Z',
  aliases: ['GHSA-35jh-r3h4-6jhm'],
  affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }],
  references: [{ url: 'https://example.test/cve' }],
};
const malicious: OsvRecord = {
  id: 'MAL-2024-0001',
  modified: '2024-01-01T00:00:00Z',
  summary: 'Malicious code in evil-pkg (npm)',
  affected: [{ package: { ecosystem: 'npm', name: 'evil-pkg' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }],
};
const withdrawn: OsvRecord = {
  id: 'GHSA-wwww-wwww-wwww',
  modified: '2024-01-01T00:00:00Z',
  withdrawn: '2024-02-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }],
};
const debianDsa: OsvRecord = {
  id: 'DSA-5139-1',
  modified: '2024-01-01T00:00:00Z',
  aliases: ['CVE-2022-1292'],
  summary: 'openssl - security update',
  affected: [
    { package: { ecosystem: 'Debian:11', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.1.1n-0+deb11u2' }] }] },
  ],
};
const pysec: OsvRecord = {
  id: 'PYSEC-2023-74',
  modified: '2024-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'PyPI', name: 'Requests' }, versions: ['2.30.0'], ranges: [{ type: 'GIT', repo: 'https://example.test/r', events: [{ introduced: '0' }] }] }],
};

const lookup = lookupOf([lodashGhsa, lodashCve, malicious, withdrawn, debianDsa, pysec]);

describe('isAffected', () => {
  it('matches by ecosystem, name and version', () => {
    expect(isAffected(lodashGhsa, { ecosystem: 'npm', name: 'lodash', version: '4.17.15' })).toBe(true);
    expect(isAffected(lodashGhsa, { ecosystem: 'npm', name: 'lodash-es', version: '4.17.20' })).toBe(true);
    expect(isAffected(lodashGhsa, { ecosystem: 'npm', name: 'lodash', version: '4.17.21' })).toBe(false);
    expect(isAffected(lodashGhsa, { ecosystem: 'PyPI', name: 'lodash', version: '1.0.0' })).toBe(false);
  });

  it('ignores withdrawn records', () => {
    expect(isAffected(withdrawn, { ecosystem: 'npm', name: 'lodash', version: '1.0.0' })).toBe(false);
  });

  it('uses explicit versions, ignores GIT ranges, and normalises PyPI names (PEP 503)', () => {
    expect(isAffected(pysec, { ecosystem: 'PyPI', name: 'requests', version: '2.30.0' })).toBe(true);
    expect(isAffected(pysec, { ecosystem: 'PyPI', name: 'requests', version: '2.31.0' })).toBe(false);
  });

  it('needs the same distro release', () => {
    expect(isAffected(debianDsa, { ecosystem: 'Debian:11', name: 'openssl', version: '1.1.1n-0+deb11u1' })).toBe(true);
    expect(isAffected(debianDsa, { ecosystem: 'Debian:12', name: 'openssl', version: '1.1.1n-0+deb11u1' })).toBe(false);
  });

  it('treats Ubuntu LTS advisories (`Ubuntu:22.04:LTS`) as the image release `Ubuntu:22.04`', () => {
    const usn: OsvRecord = {
      id: 'UBUNTU-CVE-2024-0001',
      modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.2-0ubuntu1.15' }] }] }],
    };
    expect(isAffected(usn, { ecosystem: 'Ubuntu:22.04', name: 'openssl', version: '3.0.2-0ubuntu1.14' })).toBe(true);
    expect(isAffected(usn, { ecosystem: 'Ubuntu:22.04', name: 'openssl', version: '3.0.2-0ubuntu1.15' })).toBe(false);
    expect(isAffected(usn, { ecosystem: 'Ubuntu:24.04', name: 'openssl', version: '3.0.2-0ubuntu1.14' })).toBe(false);
  });

  it('folds Red Hat product streams and SUSE service packs to the release an image reports', () => {
    expect(canonicalEcosystem('Red Hat:enterprise_linux:9::appstream')).toBe('Red Hat:9');
    expect(canonicalEcosystem('Red Hat:enterprise_linux:8::baseos')).toBe('Red Hat:8');
    expect(canonicalEcosystem('Red Hat:rhel_eus:9.2::appstream')).toBe('Red Hat:rhel_eus:9.2::appstream');
    expect(canonicalEcosystem('SUSE:Linux Enterprise Server 15 SP5')).toBe('SUSE:15.5');
    expect(canonicalEcosystem('SUSE:Linux Enterprise Module for Basesystem 15 SP5')).toBe('SUSE:15.5');
    expect(canonicalEcosystem('SUSE:Linux Enterprise Server for SAP Applications 12 SP5')).toBe('SUSE:12.5');
    expect(canonicalEcosystem('SUSE:Linux Enterprise Server 15')).toBe('SUSE:15.0');
    expect(canonicalEcosystem('SUSE:Linux Enterprise Micro 5.5')).toBe('SUSE:Linux Enterprise Micro 5.5');
    expect(canonicalEcosystem('openSUSE:Leap 15.5')).toBe('openSUSE:Leap 15.5');
  });

  it('strips the v of Go module versions', () => {
    const go: OsvRecord = {
      id: 'GO-2022-0493',
      modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'Go', name: 'golang.org/x/sys' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.0.0-20220412211240-33da011f77ad' }] }] }],
    };
    expect(isAffected(go, { ecosystem: 'Go', name: 'golang.org/x/sys', version: 'v0.0.0-20210817142637-7d9622a276b7' })).toBe(true);
    expect(isAffected(go, { ecosystem: 'Go', name: 'golang.org/x/sys', version: 'v0.1.0' })).toBe(false);
  });
});

describe('matchPackages: rpm distros', () => {
  const rpmLayer = { diffId: 'sha256:rhel', createdBy: null };
  const rpm = (ecosystem: string, name: string, version: string, sourceName: string): Package =>
    pkg(ecosystem, name, version, { sourceName, sourceVersion: version, paths: ['/var/lib/rpm/rpmdb.sqlite'], layer: rpmLayer });

  // Shaped like Red Hat's CSAF-to-OSV output: one entry per binary rpm and product stream, `epoch:` versions.
  const rhsa: OsvRecord = {
    id: 'RHSA-2024:0001',
    modified: '2024-01-01T00:00:00Z',
    related: ['CVE-2024-0001'],
    affected: ['appstream', 'baseos'].flatMap((stream) =>
      ['python3-cffi', 'python-cffi'].map((name) => ({
        package: { ecosystem: `Red Hat:enterprise_linux:9::${stream}`, name, purl: `pkg:rpm/redhat/${name}` },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0:1.14.5-5.el9_4' }] }],
      })),
    ),
  };
  const eus: OsvRecord = {
    id: 'RHSA-2024:0002',
    modified: '2024-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'Red Hat:rhel_eus:9.2::appstream', name: 'python3-cffi' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0:1.14.5-6.el9_2' }] }] }],
  };

  it('matches a RHEL 9 binary rpm against the enterprise_linux:9 streams, once, with the fix; EUS streams stay out', () => {
    const lookup = lookupOf([rhsa, eus]);
    const old = matchPackages([rpm('Red Hat:9', 'python3-cffi', '1.14.5-5.el9', 'python-cffi')], lookup).vulnerabilities;
    expect(old.map((v) => [v.id, v.package.name, v.fixedVersions])).toEqual([['RHSA-2024:0001', 'python3-cffi', ['0:1.14.5-5.el9_4']]]);
    expect(matchPackages([rpm('Red Hat:9', 'python3-cffi', '1.14.5-5.el9_4', 'python-cffi')], lookup).vulnerabilities).toEqual([]);
    expect(matchPackages([rpm('Red Hat:8', 'python3-cffi', '1.11.5-5.el8', 'python-cffi')], lookup).vulnerabilities).toEqual([]);
  });

  it('matches SLE 15 SP5 rpms against any SLE 15 SP5 product, by binary name', () => {
    const susa: OsvRecord = {
      id: 'SUSE-SU-2024:0001-1',
      modified: '2024-01-01T00:00:00Z',
      affected: ['Linux Enterprise Module for Basesystem 15 SP5', 'Linux Enterprise Server 15 SP5'].map((product) => ({
        package: { ecosystem: `SUSE:${product}`, name: 'libopenssl3' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.8-150500.5.14.1' }] }],
      })),
    };
    const lookup = lookupOf([susa]);
    expect(matchPackages([rpm('SUSE:15.5', 'libopenssl3', '3.0.8-150500.5.11.1', 'openssl-3')], lookup).vulnerabilities.map((v) => v.id)).toEqual(['SUSE-SU-2024:0001-1']);
    expect(matchPackages([rpm('SUSE:15.4', 'libopenssl3', '3.0.8-150500.5.11.1', 'openssl-3')], lookup).vulnerabilities).toEqual([]);
  });
});

describe('matchPackages', () => {
  it('merges aliases into one finding with all IDs, severity, fix and layer', () => {
    const { vulnerabilities, malware } = matchPackages([pkg('npm', 'lodash', '4.17.15')], lookup);
    expect(malware).toEqual([]);
    expect(vulnerabilities).toHaveLength(1);
    const [v] = vulnerabilities;
    expect(v).toMatchObject({
      id: 'GHSA-35jh-r3h4-6jhm',
      aliases: ['CVE-2021-23337'],
      summary: 'Command Injection in lodash',
      severity: 'high',
      cvss: { score: 7.2, vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' },
      package: { ecosystem: 'npm', name: 'lodash', version: '4.17.15', purl: 'pkg:x/lodash@4.17.15' },
      fixedVersions: ['4.17.21'],
      fixStatus: 'fixed',
      fixCommand: 'npm install lodash@4.17.21',
      published: '2021-05-06T16:05:51Z',
      layer,
      tags: ['fixable'],
    });
    expect(v?.references).toEqual(['https://nvd.nist.gov/vuln/detail/CVE-2021-23337', 'https://example.test/cve']);
  });

  it('reports malicious packages as trojans, not vulnerabilities', () => {
    const { vulnerabilities, malware } = matchPackages([pkg('npm', 'evil-pkg', '1.0.3')], lookup);
    expect(vulnerabilities).toEqual([]);
    expect(malware).toEqual([
      expect.objectContaining({
        type: 'trojan',
        subtype: 'malicious-package',
        engine: 'osv-malicious',
        severity: 'critical',
        path: '/app/node_modules/evil-pkg/package.json',
        fileName: 'package.json',
        layer,
        description: 'Malicious code in evil-pkg (npm)',
      }),
    ]);
    expect(malware[0]?.name).toContain('MAL-2024-0001');
  });

  it('matches distro packages by source package and source version', () => {
    const libssl = pkg('Debian:11', 'libssl1.1', '1.1.1n-0+deb11u1', { sourceName: 'openssl', sourceVersion: '1.1.1n-0+deb11u1' });
    const { vulnerabilities } = matchPackages([libssl], lookup);
    expect(vulnerabilities.map((v) => [v.id, v.package.name, v.fixedVersions, v.fixCommand])).toEqual([
      ['DSA-5139-1', 'libssl1.1', ['1.1.1n-0+deb11u2'], 'apt-get install --only-upgrade libssl1.1'],
    ]);
    expect(matchPackages([{ ...libssl, ecosystem: 'Debian:12' }], lookup).vulnerabilities).toEqual([]);
  });

  it('finds nothing for fixed versions and unknown packages', () => {
    const { vulnerabilities, malware } = matchPackages([pkg('npm', 'lodash', '4.17.21'), pkg('npm', 'left-pad', '1.3.0')], lookup);
    expect(vulnerabilities).toEqual([]);
    expect(malware).toEqual([]);
  });

  it('sorts worst first', () => {
    const low: OsvRecord = {
      id: 'GHSA-low',
      modified: '2024-01-01T00:00:00Z',
      database_specific: { severity: 'LOW' },
      affected: [{ package: { ecosystem: 'npm', name: 'aaa' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }],
    };
    const { vulnerabilities } = matchPackages([pkg('npm', 'aaa', '1.0.0'), pkg('npm', 'lodash', '4.0.0')], lookupOf([low, lodashGhsa]));
    expect(vulnerabilities.map((v) => [v.id, v.severity, v.fixStatus])).toEqual([
      ['GHSA-35jh-r3h4-6jhm', 'high', 'fixed'],
      ['GHSA-low', 'low', 'no fix yet'],
    ]);
  });
});

describe('matchPackagesAsync', () => {
  it('gives exactly what matchPackages gives, also with repeated packages across its slices, and does not grow a memoised lookup', async () => {
    // A release-less Debian record: a Debian:12 package is looked up under both `Debian:12` and `Debian`.
    const debianAny: OsvRecord = {
      id: 'DEBIAN-CVE-2024-0001',
      modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'Debian', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.99-1' }] }] }],
    };
    const debian12: OsvRecord = {
      id: 'DEBIAN-CVE-2024-0002',
      modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.99-1' }] }] }],
    };
    const memo = new Map<string, OsvRecord[]>();
    const base = lookupOf([lodashGhsa, debianAny, debian12]);
    // A memoising lookup (the re-matcher's) hands out the same array every time: matching must not grow it.
    const lookup: AdvisoryLookup = (ecosystem, name) => {
      const key = `${ecosystem}\0${name}`;
      if (!memo.has(key)) memo.set(key, base(ecosystem, name));
      return memo.get(key)!;
    };
    const npm = Array.from({ length: 100 }, (_, i) => pkg('npm', i % 3 === 0 ? 'lodash' : `other-${i}`, i % 2 ? '4.17.15' : '4.17.21', { paths: [`/app/${i % 7}/package.json`] }));
    const debian = Array.from({ length: 20 }, (_, i) => pkg('Debian:12', `libssl${i}`, '3.0.11-1~deb12u2', { sourceName: 'openssl', sourceVersion: '3.0.11-1~deb12u2' }));
    const packages = [...npm, ...debian];
    const sync = matchPackages(packages, lookup);
    expect(await matchPackagesAsync(packages, lookup, 7)).toEqual(sync);
    expect(sync.vulnerabilities.filter((v) => v.package.name === 'lodash').length).toBeGreaterThan(0);
    expect(new Set(sync.vulnerabilities.filter((v) => v.package.name.startsWith('libssl')).map((v) => v.id))).toEqual(new Set(['DEBIAN-CVE-2024-0001', 'DEBIAN-CVE-2024-0002']));
    expect(memo.get('npm\0lodash')).toHaveLength(1);
    expect(memo.get('Debian:12\0openssl')).toHaveLength(1);
    expect(memo.get('Debian\0openssl')).toHaveLength(1);
  });
});
