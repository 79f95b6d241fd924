/**
 * Reading a zip archive (jar, war, ear) from a buffer with yauzl, entry by entry, inflating
 * only the entries asked for and only within limits. yauzl checks each inflated stream
 * against the size the entry declares, so the declared size is a limit we can trust.
 */
import yauzl, { type Entry, type ZipFile } from 'yauzl';

export interface ZipLimits {
  /** Largest inflated entry we agree to read. */
  maxEntrySize: number;
  /** Largest inflated/compressed ratio we agree to read (zip bombs reach thousands). */
  maxCompressionRatio: number;
}

export interface ZipEntryHandle {
  name: string;
  uncompressedSize: number;
  compressedSize: number;
  /** The entry's bytes, or a reason it was refused (size or ratio over the limits). */
  read(): Promise<Buffer | { refused: string }>;
}

function openZip(buffer: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (error, zip) =>
      error || !zip ? reject(error ?? new Error('cannot open zip')) : resolve(zip),
    ),
  );
}

function readEntry(zip: ZipFile, entry: Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(error ?? new Error(`cannot read ${entry.fileName}`));
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

function refusal(entry: Entry, limits: ZipLimits): string | undefined {
  if (entry.uncompressedSize > limits.maxEntrySize) return `${entry.uncompressedSize} bytes inflated exceeds the ${limits.maxEntrySize}-byte limit`;
  const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
  if (entry.uncompressedSize > 1024 * 1024 && ratio > limits.maxCompressionRatio) return `compression ratio ${Math.round(ratio)} exceeds ${limits.maxCompressionRatio}`;
  return undefined;
}

/** Visit every file entry in order; the visitor may read it before the next one is parsed. */
export async function forEachZipEntry(buffer: Buffer, limits: ZipLimits, visit: (entry: ZipEntryHandle) => Promise<void>): Promise<void> {
  const zip = await openZip(buffer);
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        const handle: ZipEntryHandle = {
          name: entry.fileName,
          uncompressedSize: entry.uncompressedSize,
          compressedSize: entry.compressedSize,
          read: async () => {
            const reason = refusal(entry, limits);
            return reason ? { refused: reason } : readEntry(zip, entry);
          },
        };
        visit(handle).then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
