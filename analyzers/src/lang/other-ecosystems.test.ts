/** Ruby, Cargo, Composer and .NET inventories against trivy's fixtures. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { nameVersions, packagesOf, readTrivyCases, runAnalyzer, trivyNameVersions } from './testing.ts';
import { buildTestElf } from './binary/build-test-elf.ts';
import { gemspecAnalyzer, isInstalledGemspec, parseGemspec } from './ruby/gemspec.ts';
import { isApplicationCargoLock, parseCargoLock } from './rust/cargo-lock.ts';
import { cargoAuditableAnalyzer, readAuditableDependencies } from './rust/auditable.ts';
import { composerAnalyzer, isComposerFile, parseComposerLock, parseInstalledJson } from './php/composer.ts';
import { dotnetDepsAnalyzer, parseDepsJson } from './dotnet/deps-json.ts';

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url));
const cases = (relative: string) => readTrivyCases(new URL(relative, import.meta.url));
const file = (dir: string, testdataPath: string) => read(`./${dir}/testdata/${testdataPath.replace(/^testdata\//, '')}`);

describe('RubyGems installed specifications', () => {
  it.each(cases('./ruby/testdata/expected.json').map((c) => [c.file, c] as const))('%s', (_f, c) => {
    const parsed = parseGemspec(file('ruby', c.file));
    expect(nameVersions(parsed)).toEqual(trivyNameVersions(c.packages ?? []));
    expect(parsed[0]?.metadata?.licenses).toEqual(c.packages?.[0]?.Licenses);
  });

  it('matches installed specs only, with purls and platforms', async () => {
    expect(isInstalledGemspec('/usr/local/bundle/specifications/rake-13.0.3.gemspec')).toBe(true);
    expect(isInstalledGemspec('/usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec')).toBe(true);
    expect(isInstalledGemspec('/app/mygem.gemspec')).toBe(false);
    const spec = Buffer.from('# stub: nokogiri 1.15.4 x86_64-linux lib\nGem::Specification.new do |s|\n  s.name = "nokogiri".freeze\n  s.version = "1.15.4"\n  s.platform = "x86_64-linux".freeze\nend\n');
    const path = '/usr/local/bundle/specifications/nokogiri-1.15.4-x86_64-linux.gemspec';
    expect(packagesOf(await runAnalyzer(gemspecAnalyzer, path, spec))).toMatchObject([
      { ecosystem: 'RubyGems', name: 'nokogiri', version: '1.15.4', purl: 'pkg:gem/nokogiri@1.15.4?platform=x86_64-linux', paths: [path] },
    ]);
  });

  it('refuses a blank name or version (found by fuzzing: `s.version = " "1.25.0"`)', () => {
    expect(() => parseGemspec(Buffer.from('Gem::Specification.new do |s|\n  s.name = "async"\n  s.version = " "1.25.0"\nend\n'))).toThrow(/no name or version/);
    expect(parseGemspec(Buffer.from('Gem::Specification.new do |s|\n  s.name = " async "\n  s.version = "1.25.0"\nend\n'))[0]).toMatchObject({ name: 'async', version: '1.25.0' });
  });
});

describe('Cargo.lock', () => {
  it('trivy cargo_v3.lock, without the workspace crate', () => {
    // trivy lists `app@0.1.0` (no `source`: the project itself); we leave local crates out.
    const [c] = cases('./rust/testdata/cargo-expected.json');
    expect(nameVersions(parseCargoLock(file('rust', c!.file)))).toEqual(trivyNameVersions(c!.packages!, (p) => p.Name !== 'app'));
    expect(parseCargoLock(file('rust', c!.file)).find((p) => p.name === 'libc')?.purl).toBe('pkg:cargo/libc@0.2.140');
  });

  it('skips the lockfiles of crates in Cargo\'s download cache', () => {
    expect(isApplicationCargoLock('/src/app/Cargo.lock')).toBe(true);
    expect(isApplicationCargoLock('/root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/regex-1.7.3/Cargo.lock')).toBe(false);
    // The official rust images set CARGO_HOME=/usr/local/cargo.
    expect(isApplicationCargoLock('/usr/local/cargo/git/checkouts/x/Cargo.lock')).toBe(false);
    expect(isApplicationCargoLock('/usr/local/cargo/registry/src/index.crates.io-x/libc-0.2.140/Cargo.lock')).toBe(false);
  });
});

describe('cargo-auditable binaries', () => {
  // trivy's test.elf (not in our data) holds the two local crates of its want list; we rebuild
  // the section with them plus a registry crate and a build-only crate. Local crates are the
  // project's own code and are left out (trivy keeps them); build-only crates are not linked.
  const [trivyCase] = cases('./rust/testdata/binary-expected.json');
  const local = trivyCase!.packages!.map((p, i) => ({ name: p.Name, version: p.Version, source: 'local', kind: 'runtime', ...(i === 0 ? { root: true } : {}) }));
  const json = { packages: [...local, { name: 'serde', version: '1.0.188', source: 'crates.io', kind: 'runtime' }, { name: 'cc', version: '1.0.83', source: 'crates.io', kind: 'build' }] };
  const elf = buildTestElf([
    { name: '.text', data: Buffer.alloc(64, 0x90), address: 0x400000n },
    { name: '.dep-v0', data: deflateSync(Buffer.from(JSON.stringify(json))), address: 0x500000n },
  ]);

  it('reads linked registry crates', async () => {
    expect(nameVersions(readAuditableDependencies(elf)!)).toEqual(['serde@1.0.188']);
    const findings = await runAnalyzer(cargoAuditableAnalyzer, '/usr/local/bin/tool', elf, 0o755);
    expect(packagesOf(findings)).toMatchObject([{ ecosystem: 'crates.io', name: 'serde', purl: 'pkg:cargo/serde@1.0.188', paths: ['/usr/local/bin/tool'] }]);
  });

  it('ignores binaries without the section and notes a corrupt one', async () => {
    const plain = buildTestElf([{ name: '.text', data: Buffer.alloc(64), address: 0x400000n }]);
    expect(await runAnalyzer(cargoAuditableAnalyzer, '/bin/x', plain, 0o755)).toEqual([]);
    const corrupt = buildTestElf([{ name: '.dep-v0', data: Buffer.from('not zlib'), address: 0x400000n }]);
    const notes: string[] = [];
    expect(await runAnalyzer(cargoAuditableAnalyzer, '/bin/y', corrupt, 0o755, notes)).toEqual([]);
    expect(notes[0]).toContain('/bin/y');
  });
});

describe('Composer', () => {
  const [c] = cases('./php/testdata/expected.json');
  const lock = JSON.parse(file('php', c!.file).toString('utf8')) as { packages: unknown[]; 'packages-dev': Array<{ name: string }> };
  const devNames = lock['packages-dev'].map((p) => p.name);

  it('composer.lock: trivy\'s list without packages-dev', () => {
    // trivy keeps packages-dev; images are built with `composer install --no-dev`.
    expect(nameVersions(parseComposerLock(file('php', c!.file)))).toEqual(trivyNameVersions(c!.packages!, (p) => !devNames.includes(p.Name)));
  });

  it('installed.json v1 (array) and v2 (object, dev packages flagged) list what is installed', () => {
    const all = [...lock.packages, ...lock['packages-dev']];
    const v1 = parseInstalledJson(Buffer.from(JSON.stringify(all)));
    const v2 = parseInstalledJson(Buffer.from(JSON.stringify({ packages: all, dev: true, 'dev-package-names': devNames })));
    expect(nameVersions(v1)).toEqual(trivyNameVersions(c!.packages!));
    expect(nameVersions(v2)).toEqual(trivyNameVersions(c!.packages!));
    expect(v2.find((p) => p.name === 'pear/log')?.metadata).toMatchObject({ dev: true });
    expect(v2.find((p) => p.name === 'guzzlehttp/guzzle')).toMatchObject({ purl: 'pkg:composer/guzzlehttp/guzzle@6.5.8', metadata: { licenses: ['MIT'] } });
  });

  it('matches installed.json and application lockfiles only', async () => {
    expect(isComposerFile('/var/www/vendor/composer/installed.json')).toBe(true);
    expect(isComposerFile('/var/www/composer.lock')).toBe(true);
    expect(isComposerFile('/var/www/vendor/foo/bar/composer.lock')).toBe(false);
    const notes: string[] = [];
    expect(await runAnalyzer(composerAnalyzer, '/var/www/vendor/composer/installed.json', Buffer.from('"x"'), 0o644, notes)).toEqual([]);
    expect(notes).toHaveLength(1);
  });
});

describe('.NET deps.json', () => {
  // trivy lists `project` libraries (the app and its other projects, Root/Workspace); we leave
  // the application's own assemblies out. Runtime packs are kept, without the `runtimepack.` prefix.
  it.each(cases('./dotnet/testdata/expected.json').map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const projects = c.packages!.filter((p) => p.Relationship === 'Root' || p.Relationship === 'Workspace').map((p) => p.Name);
    expect(nameVersions(parseDepsJson(file('dotnet', c.file)))).toEqual(trivyNameVersions(c.packages!, (p) => !projects.includes(p.Name)));
  });

  it('reports NuGet purls and the file path', async () => {
    const path = '/app/ExampleApp1.deps.json';
    expect(packagesOf(await runAnalyzer(dotnetDepsAnalyzer, path, file('dotnet', 'happy.deps.json')))).toMatchObject([
      { ecosystem: 'NuGet', name: 'Newtonsoft.Json', version: '13.0.1', purl: 'pkg:nuget/Newtonsoft.Json@13.0.1', paths: [path] },
    ]);
  });
});
