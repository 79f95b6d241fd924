/**
 * Broken input through the real CLI: a truncated `docker save` of a real image, a layer with
 * garbage inside its gzip stream, an unknown image. Each fails with exit status 1 and a
 * message naming the problem (the layer and byte offset for archives), and prints no report.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImageArchive } from '@shipshape/analyzers/testing/image-archive.ts';
import { rewriteArchive } from '@shipshape/analyzers/testing/rewrite-archive.ts';
import { ensureDebianImage } from '../support/debian-image.ts';
import { runScanCli } from './inventory-cli.ts';

let work: string;
let saved: string;

/**
 * Where manifest.json's tar header starts: the archive is cut there, whatever the order and
 * sizes of docker save's entries (cutting a fixed number of bytes off the end could land on an
 * entry boundary after the manifest, leaving a valid archive).
 */
function manifestHeaderOffset(archive: Buffer): number {
  for (let offset = 0; offset + 512 <= archive.length; ) {
    const header = archive.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (name === '') break;
    if (name === 'manifest.json') return offset;
    const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('docker save wrote no manifest.json');
}

beforeAll(async () => {
  const debian = await ensureDebianImage();
  work = mkdtempSync(join(tmpdir(), 'shipshape-corrupt-'));
  saved = join(work, 'debian.tar');
  execFileSync('docker', ['save', '-o', saved, debian.tag]);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('corrupt archives fail clearly, with no report', () => {
  it('a docker save archive cut in the middle of its big layer', async () => {
    const cut = join(work, 'cut.tar');
    writeFileSync(cut, readFileSync(saved));
    truncateSync(cut, Math.floor(statSync(saved).size * 0.6));
    const result = await runScanCli(['--input', cut, '--quiet']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/failed, no report: layer [0-9a-f]{64}\/layer\.tar: .*byte \d+/);
  });

  it('a docker save archive cut before its manifest', async () => {
    const cut = join(work, 'no-manifest.tar');
    writeFileSync(cut, readFileSync(saved));
    truncateSync(cut, manifestHeaderOffset(readFileSync(saved)));
    const result = await runScanCli(['--input', cut, '--format', 'table', '--quiet']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/failed, no report: .*(truncated|no manifest)/);
  });

  it('garbage inside a gzip layer', async () => {
    const built = await buildImageArchive({ compression: 'gzip', layers: [{ files: [{ path: '/data', content: Buffer.alloc(300_000, 9) }] }] });
    const tampered = await rewriteArchive(built.archive, (name, content) => (name === built.layerPaths[0] ? Buffer.concat([content.subarray(0, 30), Buffer.alloc(200, 0xaa), content.subarray(230)]) : undefined));
    const file = join(work, 'garbage.tar');
    writeFileSync(file, tampered);
    const result = await runScanCli(['--input', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`layer ${built.layerPaths[0]}`);
  });

  it('an image Docker does not know, and a missing file', async () => {
    const unknown = await runScanCli(['shipshape-test/does-not-exist:never', '--quiet']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no such image: shipshape-test\/does-not-exist:never/);
    const missing = await runScanCli(['--input', join(work, 'nope.tar')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.tar: no such file/);
  });
});
