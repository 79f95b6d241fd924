/**
 * A tar header's size, checked. tar-stream decodes a base-256 size field it cannot read
 * (first byte neither 0x80 nor 0xff) as null, and a 0xff one as negative; either way it then
 * waits for data that never comes, so such an entry must stop the scan before it is read.
 */
export function checkedEntrySize(size: number | null | undefined, name: string): number {
  if (size === undefined) return 0;
  if (size === null || !Number.isSafeInteger(size) || size < 0) {
    throw new Error(`entry '${name}' has an unreadable size field (${size === null ? 'not octal or base-256' : size}): the archive is corrupt`);
  }
  return size;
}
