import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ScanReport } from '@shipshape/shared';
import { scanImage } from './scan.ts';
import { buildImageArchive, buildLayerTar, chunked, type LayerSpec } from './testing/image-archive.ts';
import { rewriteArchive } from './testing/rewrite-archive.ts';
import { fuzz, isCleanError, mutatedBytes } from './testing/fuzz.ts';

const dpkgStatus = readFileSync(join(import.meta.dirname, 'os-packages', 'dpkg', 'testdata', 'syft-status.d', 'multiple'));
const layer: LayerSpec = {
  files: [
    { path: '/etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' },
    { path: '/var/lib/dpkg/status', content: dpkgStatus },
    { path: '/usr/lib/node_modules/left-pad/package.json', content: '{"name":"left-pad","version":"1.3.0","license":"WTFPL"}' },
    { path: '/app/.env', content: 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' },
    { path: '/usr/bin/tool', type: 'symlink', linkTarget: '../../etc/os-release' },
    { path: '/usr/bin/hard', type: 'hardlink', linkTarget: '/etc/os-release' },
    { path: '/a/very/long/path/that/needs/a/pax/or/gnu/long/name/header/because/it/is/longer/than/one/hundred/bytes/file.txt', content: 'x' },
  ],
  whiteouts: ['/tmp/gone'],
};

const scanOptions = { categories: ['packages' as const, 'sensitive' as const] };
const scan = (archive: Buffer): Promise<ScanReport> => scanImage(Readable.from(chunked(archive, 4096)), scanOptions);

/** A scan must give a report or reject with a clean Error (truncated, corrupt, missing layer): never crash. */
const outcomes = { reports: 0, errors: 0 };
async function reportOrCleanError(archive: Buffer): Promise<void> {
  let report: ScanReport;
  try {
    report = await scan(archive);
  } catch (error) {
    if (!isCleanError(error)) throw error;
    outcomes.errors++;
    if (process.env.FUZZ_DEBUG) console.log((error as Error).message);
    return;
  }
  outcomes.reports++;
  // Well-formed: the report satisfies the API contract the helper serves it under.
  const checked = ScanReport.safeParse(report);
  expect(checked.success ? null : checked.error.issues).toBeNull();
}

/**
 * Re-stamps the checksum of every block that still looks like a ustar header, so mutated
 * header fields (sizes, types, names, link targets) reach the walker instead of being
 * rejected by tar-stream's checksum test.
 */
function fixTarChecksums(tar: Buffer): Buffer {
  const out = Buffer.from(tar);
  for (let at = 0; at + 512 <= out.length; at += 512) {
    if (out.toString('latin1', at + 257, at + 262) !== 'ustar') continue;
    out.fill(0x20, at + 148, at + 156);
    let sum = 0;
    for (let i = at; i < at + 512; i++) sum += out[i]!;
    out.write(`${sum.toString(8).padStart(6, '0')}\0 `, at + 148, 'latin1');
  }
  return out;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The archive with its one layer replaced by `layerTar`, diffID updated so the walker reads the layer. */
async function withLayer(archive: Buffer, layerPath: string, layerTar: Buffer): Promise<Buffer> {
  return rewriteArchive(archive, (name, content) => {
    if (name === layerPath) return layerTar;
    if (name.endsWith('.json') && name !== 'manifest.json' && name !== 'index.json') {
      const json = JSON.parse(content.toString('utf8')) as { rootfs?: { diff_ids?: string[] } };
      if (json.rootfs?.diff_ids) {
        json.rootfs.diff_ids = [`sha256:${sha256(layerTar)}`];
        return Buffer.from(JSON.stringify(json));
      }
    }
    return undefined;
  });
}

describe('scanImage under mutated archives', () => {
  afterEach(() => {
    console.log(`  outcomes: ${outcomes.reports} reports, ${outcomes.errors} clean errors`);
    outcomes.reports = outcomes.errors = 0;
  });

  it('mutated docker save archives (outer tar, manifest, config): a report or a clean Error', async () => {
    const legacy = await buildImageArchive({ layers: [layer], tags: ['fuzz:1'] });
    const oci = await buildImageArchive({ layers: [layer], layout: 'oci', compression: 'gzip', tags: ['fuzz:2'] });
    expect((await scan(legacy.archive)).packages.length).toBeGreaterThan(0);
    const seeds = [legacy.archive, oci.archive];
    const cases = await fuzz(
      'image archive (outer tar)',
      fc.oneof(mutatedBytes(seeds, 6), mutatedBytes(seeds, 6, ['flip']).map(fixTarChecksums)),
      reportOrCleanError,
      { numRuns: 100, caseTimeoutMs: 15_000 },
    );
    expect(cases).toBe(100);
  }, 180_000);

  it('mutated layer tars (tar headers, link targets, long names) with a matching diffID: a report or a clean Error', async () => {
    const built = await buildImageArchive({ layers: [layer] });
    const layerTar = await buildLayerTar(layer);
    const layerPath = built.layerPaths[0]!;
    const baseline = await scan(await withLayer(built.archive, layerPath, layerTar));
    expect(baseline.packages.length).toBeGreaterThan(0);
    // Rebuilding the archive per case is the slow part: a few hundred cases.
    const cases = await fuzz(
      'layer tar headers',
      // Shifting mutations misalign every later header; in-place flips with re-stamped checksums reach the header fields.
      fc.oneof(
        fc.tuple(mutatedBytes([layerTar], 6), fc.constant(false)),
        fc.tuple(mutatedBytes([layerTar], 6, ['flip']), fc.constant(true)),
      ),
      async ([tar, restamp]) => reportOrCleanError(await withLayer(built.archive, layerPath, restamp ? fixTarChecksums(tar) : tar)),
      { numRuns: 200, caseTimeoutMs: 15_000 },
    );
    expect(cases).toBe(200);
  }, 180_000);
});
