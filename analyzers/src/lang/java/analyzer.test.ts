import { describe, expect, it } from 'vitest';
import { readTrivyCases, packagesOf, runAnalyzer, type TrivyExpectedCase } from '../testing.ts';
import { makeZip, manifest, pomProperties } from './make-zip.ts';
import { javaArchiveAnalyzer } from './analyzer.ts';
import { inventoryJavaArchive, DEFAULT_JAVA_LIMITS } from './archive.ts';
import { manifestCoordinates, fileNameCoordinates } from './descriptors.ts';

const trivyCases = readTrivyCases(new URL('./testdata/expected.json', import.meta.url));
const trivyCase = (name: string): TrivyExpectedCase => trivyCases.find((c) => c.name === name)!;

/** Trivy's (name, version, FilePath) triples, with its `testdata/` prefix mapped to our image path. */
function trivyExpectation(testCase: TrivyExpectedCase, imagePath: string) {
  return (testCase.packages ?? [])
    .map((p) => ({ name: p.Name, version: p.Version, path: p.FilePath!.replace(testCase.file, imagePath) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function scan(path: string, content: Buffer, notes: string[] = []) {
  return packagesOf(await runAnalyzer(javaArchiveAnalyzer, path, content, 0o644, notes))
    .map((p) => ({ name: p.name, version: p.version, path: p.paths?.[0] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe('Java archives (trivy cases, archives rebuilt with the same descriptors)', () => {
  it('nested jars (META-INF/jars/…), each with its own pom.properties', async () => {
    const nested3 = await makeZip([pomProperties('test', 'nested3', '0.0.3')]);
    const nested2 = await makeZip([pomProperties('test', 'nested2', '0.0.2'), { name: 'META-INF/jars/nested3.jar', content: nested3 }]);
    const nested = await makeZip([pomProperties('test', 'nested', '0.0.1'), { name: 'META-INF/jars/nested2.jar', content: nested2, compress: false }]);
    expect(await scan('/app/nested.jar', nested)).toEqual(trivyExpectation(trivyCase('nested jars'), '/app/nested.jar'));
  });

  it('fat (shaded) jar: every bundled pom.properties', async () => {
    const jar = await makeZip([
      manifest({ 'Implementation-Title': 'hadoop-shaded-guava' }),
      pomProperties('com.google.guava', 'failureaccess', '1.0.1'),
      pomProperties('com.google.guava', 'guava', '29.0-jre'),
      pomProperties('com.google.guava', 'listenablefuture', '9999.0-empty-to-avoid-conflict-with-guava'),
      pomProperties('com.google.j2objc', 'j2objc-annotations', '1.3'),
      pomProperties('org.apache.hadoop.thirdparty', 'hadoop-shaded-guava', '1.1.0-SNAPSHOT'),
    ]);
    const path = '/opt/hadoop/hadoop-shaded-guava-1.1.0-SNAPSHOT.jar';
    expect(await scan(path, jar)).toEqual(trivyExpectation(trivyCase('fat jar'), path));
  });

  it('Jenkins plugin: coordinates from the manifest', async () => {
    const jar = await makeZip([manifest({ 'Group-Id': 'com.example', 'Short-Name': 'jenkins-plugin', 'Plugin-Version': '1.0.0', 'Plugin-License-Name': 'MIT' })]);
    const path = '/var/jenkins/plugins/license-from-jenkins-plugin.jar';
    expect(await scan(path, jar)).toEqual(trivyExpectation(trivyCase('jenkins plugin manifest license'), path));
  });

  // trivy's "sha1 search" case finds spring-core by the jar's SHA-1 in its Maven index: an
  // online lookup we do not do. The manifest Spring ships gives the same answer offline.
  it('spring-core from its OSGi manifest (trivy: SHA-1 lookup)', async () => {
    const jar = await makeZip([manifest({ 'Implementation-Title': 'spring-core', 'Implementation-Version': '5.3.3', 'Bundle-SymbolicName': 'org.springframework.spring-core' })]);
    expect(await scan('/app/test.jar', jar)).toEqual(trivyExpectation(trivyCase('sha1 search'), '/app/test.jar'));
  });
});

describe('Java archive analyzer', () => {
  it('WEB-INF/lib in a war, with purls', async () => {
    const lib = await makeZip([pomProperties('org.apache.commons', 'commons-lang3', '3.12.0')]);
    const war = await makeZip([pomProperties('com.acme', 'shop', '2.1'), { name: 'WEB-INF/lib/commons-lang3-3.12.0.jar', content: lib }]);
    const findings = await runAnalyzer(javaArchiveAnalyzer, '/srv/shop.war', war);
    expect(findings.every((f) => f.path === '/srv/shop.war')).toBe(true);
    expect(packagesOf(findings).map((p) => [p.ecosystem, p.name, p.purl, p.paths])).toEqual([
      ['Maven', 'com.acme:shop', 'pkg:maven/com.acme/shop@2.1', ['/srv/shop.war']],
      ['Maven', 'org.apache.commons:commons-lang3', 'pkg:maven/org.apache.commons/commons-lang3@3.12.0', ['/srv/shop.war/WEB-INF/lib/commons-lang3-3.12.0.jar']],
    ]);
  });

  it('falls back to the file name when nothing inside names the jar', async () => {
    const jar = await makeZip([{ name: 'com/x/A.class', content: 'cafebabe' }]);
    expect(await scan('/app/lib/tiny-util-1.4.2.jar', jar)).toEqual([{ name: 'tiny-util', version: '1.4.2', path: '/app/lib/tiny-util-1.4.2.jar' }]);
    expect(fileNameCoordinates('no-version.jar')).toBeUndefined();
  });

  it('reads folded manifest lines and OSGi symbolic names', () => {
    const text = 'Manifest-Version: 1.0\r\nBundle-SymbolicName: com.fasterxml.jackson.core.jackson-data\r\n bind;singleton:=true\r\nBundle-Name: jackson-databind\r\nBundle-Version: 2.13.0\r\n\r\nName: x\r\nImplementation-Title: ignored\r\n';
    expect(manifestCoordinates(text)).toEqual({ groupId: 'com.fasterxml.jackson.core', artifactId: 'jackson-databind', version: '2.13.0' });
  });

  it('refuses a zip bomb: a nested jar inflating far beyond its compressed size', async () => {
    // 64 MB of zeros deflate to ~64 KB: a ratio of ~1000, refused before inflating.
    const bomb = { name: 'lib/inner.jar', content: Buffer.alloc(64 * 1024 * 1024) };
    const app = await makeZip([pomProperties('com.acme', 'app', '1.0'), bomb]);
    const notes: string[] = [];
    expect(await scan('/app/app-1.0.jar', app, notes)).toEqual([{ name: 'com.acme:app', version: '1.0', path: '/app/app-1.0.jar' }]);
    expect(notes.join('\n')).toMatch(/lib\/inner\.jar: skipped, compression ratio \d+ exceeds 200/);
  });

  it('stops at the depth limit and within the inflate budget', async () => {
    let jar = await makeZip([pomProperties('deep', 'level5', '5')]);
    for (let level = 4; level >= 0; level--) jar = await makeZip([pomProperties('deep', `level${level}`, String(level)), { name: `lib/level${level + 1}.jar`, content: jar, compress: false }]);
    const notes: string[] = [];
    const artifacts = await inventoryJavaArchive(jar, '/app/level0.jar', (m) => notes.push(m));
    expect(artifacts.map((a) => a.artifactId)).toEqual(['level0', 'level1', 'level2', 'level3']);
    expect(notes.some((n) => n.includes('nested deeper than 3'))).toBe(true);

    const small = await inventoryJavaArchive(jar, '/app/level0.jar', () => {}, { ...DEFAULT_JAVA_LIMITS, maxTotalInflated: 2000 });
    expect(small.length).toBeLessThan(4);
  });

  it('turns a corrupt archive into a note', async () => {
    const notes: string[] = [];
    const jar = await makeZip([pomProperties('a', 'b', '1')]);
    expect(await runAnalyzer(javaArchiveAnalyzer, '/app/x.jar', jar.subarray(0, jar.length - 30), 0o644, notes)).toEqual([]);
    expect(await runAnalyzer(javaArchiveAnalyzer, '/app/y.jar', Buffer.from('not a zip at all'), 0o644, notes)).toEqual([]);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toContain('/app/x.jar');
  });
});
