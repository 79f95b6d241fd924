/**
 * Test helper: copies a tar archive entry by entry, letting a test drop or replace entries
 * (a manifest naming a missing layer, an invalid config, a tampered layer).
 */
import * as tar from 'tar-stream';
import { Readable } from 'node:stream';

/** Return `null` to drop the entry, a Buffer to replace its content, `undefined` to keep it. */
export type EntryRewrite = (name: string, content: Buffer) => Buffer | null | undefined;

/** An entry to add: a file, or a symlink (`linkname`). */
export type ExtraEntry = { name: string; content: Buffer } | { name: string; linkname: string };

export async function rewriteArchive(archive: Buffer, rewrite: EntryRewrite, extra: ExtraEntry[] = []): Promise<Buffer> {
  const extract = tar.extract();
  const pack = tar.pack();
  const out: Buffer[] = [];
  pack.on('data', (chunk: unknown) => out.push(chunk as Buffer));
  const packed = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  Readable.from([archive]).pipe(extract);
  for await (const entry of extract) {
    const parts: Buffer[] = [];
    for await (const chunk of entry) parts.push(chunk as Buffer);
    const content = Buffer.concat(parts);
    const header = entry.header;
    const replaced = header.type === 'file' ? rewrite(header.name, content) : undefined;
    if (replaced === null) continue;
    const body = replaced ?? content;
    pack.entry({ ...header, size: body.length }, body);
  }
  for (const entry of extra) {
    if ('linkname' in entry) pack.entry({ name: entry.name, type: 'symlink', linkname: entry.linkname });
    else pack.entry({ name: entry.name, size: entry.content.length, mode: 0o644 }, entry.content);
  }
  pack.finalize();
  await packed;
  return Buffer.concat(out);
}

/** Adds one file at the end of an archive. */
export function appendEntry(archive: Buffer, name: string, content: Buffer): Promise<Buffer> {
  return rewriteArchive(archive, () => undefined, [{ name, content }]);
}
