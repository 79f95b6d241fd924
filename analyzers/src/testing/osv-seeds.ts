/**
 * Test helper: real OSV records from test/fixtures/advisories (GHSA npm/Maven, PYSEC, Go,
 * RustSec, malicious packages), a few of each, as fuzz seeds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const advisories = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'advisories');
const FILES = [
  'osv-ghsa-npm-sample.jsonl.gz',
  'osv-ghsa-maven.jsonl.gz',
  'osv-pypi-pysec.jsonl.gz',
  'osv-go-vulndb.jsonl.gz',
  'osv-crates-rustsec.jsonl.gz',
  'osv-malicious-packages.jsonl.gz',
];

/** Up to `perFile` JSON lines (OSV record texts) from each fixture. */
export function osvSeedTexts(perFile = 8): string[] {
  return FILES.flatMap((file) =>
    gunzipSync(readFileSync(join(advisories, file)))
      .toString('utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .slice(0, perFile),
  );
}

const distro = (id: string, ecosystem: string, name: string, introduced: string, fixed: string) =>
  JSON.stringify({
    id,
    modified: '2024-01-01T00:00:00Z',
    affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced }, { fixed }] }] }],
  });

/** Hand-written records for the ecosystems the fixtures lack (distro and other version orders). */
export const extraOsvSeedTexts = [
  distro('DSA-0000-1', 'Debian:12', 'openssl', '0', '3.0.11-1~deb12u2'),
  distro('ALPINE-CVE-0000-1', 'Alpine:v3.19', 'musl', '0', '1.2.4_git20230717-r5'),
  distro('UBUNTU-CVE-0000-1', 'Ubuntu:22.04', 'bash', '0', '5.1-6ubuntu1.1'),
  distro('GHSA-rubygems', 'RubyGems', 'rails', '6.0.0', '6.1.7.3'),
  distro('GHSA-nuget', 'NuGet', 'Newtonsoft.Json', '0', '13.0.1'),
  distro('GHSA-packagist', 'Packagist', 'symfony/http-kernel', '5.0.0', '5.4.20'),
];
