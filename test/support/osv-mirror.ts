/**
 * A local stand-in for the OSV bucket (`<base>/<Ecosystem>/all.zip`), built from the
 * committed advisory fixtures: no internet in the tests, the same layout the helper downloads
 * from by default. ETags make repeated downloads conditional, as on the real bucket.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import yazl from 'yazl';

export const advisoryFixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'advisories');

export type AdvisoryText = { id: string; text: string };

/** The records of a gzipped JSONL fixture, each with its JSON text as committed. */
export async function readRecords(file: string): Promise<AdvisoryText[]> {
  const out: AdvisoryText[] = [];
  for await (const line of createInterface({ input: createReadStream(join(advisoryFixtures, file)).pipe(createGunzip()) })) {
    if (line.trim()) out.push({ id: (JSON.parse(line) as { id: string }).id, text: line });
  }
  return out;
}

/** An OSV `all.zip`: one `<ID>.json` per record (`options`: yazl's per-entry options, e.g. stored or ZIP64). */
export function zipOf(records: AdvisoryText[], options: { forceZip64Format?: boolean; compress?: boolean } = {}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const r of records) zip.addBuffer(Buffer.from(r.text), `${r.id}.json`, options);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** What the mirror serves at a path: bytes in memory, or a file on disk (large archives stream from it). */
export type MirrorFile = ({ body: Buffer; file?: undefined } | { file: string; body?: undefined }) & {
  etag?: string;
  lastModified?: string;
};

export interface OsvMirror {
  url: string;
  /** What it serves, by path (`/npm/all.zip`); change it between requests. */
  files: Map<string, MirrorFile>;
  /** Every request: path, status, bytes, whether it was conditional. */
  log: Array<{ path: string; status: number; bytes: number; conditional: boolean }>;
  close(): Promise<void>;
}

/** Serves `files` on 127.0.0.1; an unknown path is a 404, a matching ETag/Last-Modified a 304. */
export async function startOsvMirror(files: Map<string, MirrorFile> = new Map()): Promise<OsvMirror> {
  const log: OsvMirror['log'] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(req.url ?? '');
    const item = files.get(path);
    const conditional = Boolean(req.headers['if-none-match'] || req.headers['if-modified-since']);
    const answer = (status: number, body?: Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) });
      res.end(body);
      log.push({ path, status, bytes: body?.length ?? 0, conditional });
    };
    if (!item) return answer(404, Buffer.from('not found'));
    const validators: Record<string, string> = {
      ...(item.etag ? { etag: item.etag } : {}),
      ...(item.lastModified ? { 'last-modified': item.lastModified } : {}),
    };
    if (item.etag && req.headers['if-none-match'] === item.etag) return answer(304, undefined, validators);
    if (!item.etag && item.lastModified && req.headers['if-modified-since'] === item.lastModified) return answer(304, undefined, validators);
    if (item.file) {
      const size = statSync(item.file).size;
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(size), ...validators });
      createReadStream(item.file).pipe(res);
      log.push({ path, status: 200, bytes: size, conditional });
      return;
    }
    answer(200, item.body, { 'content-type': 'application/zip', ...validators });
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    files,
    log,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
