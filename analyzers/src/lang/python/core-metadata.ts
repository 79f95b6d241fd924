/**
 * Python core metadata (PEP 241/314/345/566/639): the RFC 822-style header block of
 * `METADATA` and `PKG-INFO`. Only the header matters; the body (long description) may hold
 * any bytes and is never parsed.
 */

/** Header name (lower-cased) → every value, in order; continuation lines folded in. */
export function parseCoreMetadata(text: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: { key: string; index: number } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') break; // end of headers
    if (/^[ \t]/.test(line) && last) {
      const values = headers.get(last.key)!;
      values[last.index] += '\n' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const values = headers.get(key) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(key, values);
    last = { key, index: values.length - 1 };
  }
  return headers;
}

/** Licences, most precise first: an SPDX expression, then classifiers, the free-text field, files. */
export function coreMetadataLicenses(headers: Map<string, string[]>): string[] {
  const expression = headers.get('license-expression')?.[0];
  if (expression) return [expression];
  const classifiers = (headers.get('classifier') ?? [])
    .map((classifier) => classifier.split('::').map((part) => part.trim()))
    .filter((parts) => parts[0] === 'License' && parts.length > 2)
    .map((parts) => parts[parts.length - 1]!);
  if (classifiers.length > 0) return classifiers;
  const field = headers.get('license')?.[0]?.split('\n')[0]?.trim();
  if (field && field !== 'UNKNOWN') return [field];
  return (headers.get('license-file') ?? []).map((file) => `file://${file}`);
}
