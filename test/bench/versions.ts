/**
 * Benchmark: `compareVersions` throughput per ecosystem, on real version pairs (the shared
 * test vectors: OSV-Scanner's generated chains where they exist). Prints comparisons per
 * second with a warm parse cache, which is how the matcher uses it (the same few versions
 * compared again and again), and with a cold cache (every version new).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareVersions } from '@shipshape/analyzers';
import { schemeFor } from '@shipshape/analyzers/versions/ecosystems.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../analyzers/src/versions/testdata');

const SOURCES: [string, string][] = [
  ['Debian', 'osv-scalibr/debian-versions-generated.tsv'],
  ['Alpine', 'osv-scalibr/alpine-versions-generated.tsv'],
  ['Red Hat', 'osv-scalibr/redhat-versions.tsv'],
  ['Maven', 'osv-scalibr/maven-versions-generated.tsv'],
  ['PyPI', 'osv-scalibr/pypi-versions-generated.tsv'],
  ['npm', 'osv-scalibr/semver-versions.tsv'],
  ['Go', 'osv-scalibr/semver-versions.tsv'],
  ['RubyGems', 'osv-scalibr/rubygems-versions-generated.tsv'],
  ['Packagist', 'osv-scalibr/packagist-versions-generated.tsv'],
  ['NuGet', 'osv-scalibr/nuget-versions.tsv'],
];

function pairs(file: string): [string, string][] {
  return readFileSync(path.join(DATA, file), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('//'))
    .map((l) => l.split('\t'))
    .filter((f) => f.length === 3)
    .map((f) => [f[0]!, f[2]!]);
}

function rate(list: [string, string][], minMs: number, compare: (a: string, b: string) => number): number {
  // Warm up first (JIT, and the parse cache for the warm case): only steady state is reported.
  for (let i = 0; i < 3; i++) for (const [a, b] of list) compare(a, b);
  let count = 0;
  let sink = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (const [a, b] of list) sink += compare(a, b);
    count += list.length;
  }
  if (sink === Number.MIN_SAFE_INTEGER) console.log(sink); // keeps the work observable
  return count / ((performance.now() - start) / 1000);
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en');

export async function benchVersions(minMs = 400): Promise<void> {
  console.log('\n## compareVersions (comparisons/second)');
  console.log('ecosystem'.padEnd(12), 'pairs'.padStart(7), 'warm cache'.padStart(14), 'cold (parse both)'.padStart(19));
  for (const [ecosystem, file] of SOURCES) {
    const list = pairs(file).slice(0, 5000);
    const warm = rate(list, minMs, (a, b) => compareVersions(ecosystem, a, b));
    // Cold: the scheme without its parse cache, as for versions never seen before.
    const { scheme } = schemeFor(ecosystem)!;
    const cold = rate(list, minMs, (a, b) => scheme.compare(scheme.parse(a), scheme.parse(b)));
    console.log(ecosystem.padEnd(12), String(list.length).padStart(7), fmt(warm).padStart(14), fmt(cold).padStart(19));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await benchVersions();
