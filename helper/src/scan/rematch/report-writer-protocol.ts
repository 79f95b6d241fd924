/**
 * What the re-match's report writer thread is sent for each report (report-writer-thread.ts
 * sends, report-writer-entry.ts writes), and how it puts the report's JSON together from it:
 * - the stored file's bytes the report was read from: a field that did not change is copied
 *   from there as it is (the file was written by JSON.stringify, so its text is what
 *   JSON.stringify gives for the value parsed from it);
 * - a field that changed, as its JSON;
 * - the findings, as references to canonical findings whose JSON is sent once for the whole
 *   run, cut around its `layer`, plus each finding's own layer: the matcher's copy of a finding
 *   for another layer differs from it only there, key order included (match-report.ts).
 * The bytes are those of JSON.stringify of the report the API's thread holds.
 */

/** A canonical finding's JSON, cut where its layer goes: `${head}${JSON of the layer}${tail}`. */
export type CutFinding = [head: string, tail: string];

/** A report's findings: per finding, the canonical finding it equals with its own layer, or one sent whole (`ref` -1). */
export interface FindingRefs {
  /** Index into the run's canonical findings, or -1 for the next of `whole`. */
  refs: Int32Array;
  /** Index into `layers` of each finding's layer (unused for whole ones). */
  layerOf: Int32Array;
  /** Each layer's JSON. */
  layers: string[];
  /** The JSON of each finding sent whole. */
  whole: string[];
}

/** One top-level field of the report, in the report's key order. */
export type ReportPart =
  /** Unchanged: as in the stored file. */
  | { key: string; from: 'stored' }
  | { key: string; json: string }
  | { key: string; findings: FindingRefs };

export interface WriteRequest {
  seq: number;
  /** Where to write the whole report (the store then moves it over the report's file). */
  path: string;
  /** The stored file the report was read from. */
  stored: Uint8Array;
  /** Canonical findings first referenced by this request, appended to the run's list. */
  canonical: CutFinding[];
  parts: ReportPart[];
}

export interface WriteReply {
  seq: number;
  /** Why the write failed; absent when the file is written. */
  error?: string;
}

/**
 * `finding`'s JSON cut around its layer, or null when it cannot be cut unambiguously. Only a
 * key can read `"layer":` unescaped (inside a string the quotes are escaped), and no other part
 * of a finding has a `layer` key.
 */
export function cutFinding(json: string, layerJson: string): CutFinding | null {
  const marker = `"layer":${layerJson}`;
  const at = json.indexOf(marker);
  if (at < 0 || json.indexOf('"layer":', at + 1) >= 0) return null;
  return [json.slice(0, at + '"layer":'.length), json.slice(at + marker.length)];
}

/** Where each top-level field's value lies in a JSON object's bytes (start, end), by key. */
export function topLevelSpans(bytes: Uint8Array): Map<string, [number, number]> {
  const spans = new Map<string, [number, number]>();
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== OPEN_BRACE) throw new Error('report writer: the stored report is not a JSON object');
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === CLOSE_BRACE) return spans;
  for (;;) {
    if (bytes[i] !== QUOTE) throw new Error(`report writer: no key at byte ${i} of the stored report`);
    const keyEnd = stringEnd(bytes, i);
    const key = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + i, keyEnd - i).toString('utf8')) as string;
    i = skipSpace(bytes, keyEnd);
    if (bytes[i] !== COLON) throw new Error(`report writer: no ':' at byte ${i} of the stored report`);
    const start = skipSpace(bytes, i + 1);
    const end = valueEnd(bytes, start);
    spans.set(key, [start, end]);
    i = skipSpace(bytes, end);
    if (bytes[i] === COMMA) i = skipSpace(bytes, i + 1);
    else if (bytes[i] === CLOSE_BRACE) return spans;
    else throw new Error(`report writer: unexpected byte at ${i} of the stored report`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function skipSpace(bytes: Uint8Array, i: number): number {
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return i;
}

/** The index after the string that starts (with its quote) at `i`. */
function stringEnd(bytes: Uint8Array, i: number): number {
  for (let j = i + 1; j < bytes.length; j++) {
    const b = bytes[j];
    if (b === BACKSLASH) j++;
    else if (b === QUOTE) return j + 1;
  }
  throw new Error('report writer: a string of the stored report does not end');
}

/** The index after the value that starts at `i` (a string, object, array or bare literal). */
function valueEnd(bytes: Uint8Array, i: number): number {
  const first = bytes[i];
  if (first === QUOTE) return stringEnd(bytes, i);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let j = i;
    while (j < bytes.length && bytes[j] !== COMMA && bytes[j] !== CLOSE_BRACE && bytes[j] !== CLOSE_BRACKET) j++;
    while (j > i && (bytes[j - 1] === 0x20 || bytes[j - 1] === 0x0a || bytes[j - 1] === 0x0d || bytes[j - 1] === 0x09)) j--;
    return j;
  }
  let depth = 0;
  for (let j = i; j < bytes.length; j++) {
    const b = bytes[j];
    if (b === QUOTE) j = stringEnd(bytes, j) - 1;
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
    else if ((b === CLOSE_BRACE || b === CLOSE_BRACKET) && --depth === 0) return j + 1;
  }
  throw new Error('report writer: a value of the stored report does not end');
}

/** The report's JSON, as the byte chunks to write in order. */
export function reportChunks(parts: readonly ReportPart[], stored: Uint8Array, canonical: readonly (readonly [Buffer, Buffer])[]): Uint8Array[] {
  const spans = parts.some((p) => 'from' in p) ? topLevelSpans(stored) : new Map<string, [number, number]>();
  const chunks: Uint8Array[] = [];
  const text = (s: string) => chunks.push(Buffer.from(s, 'utf8'));
  for (const [n, part] of parts.entries()) {
    text(`${n === 0 ? '{' : ','}${JSON.stringify(part.key)}:`);
    if ('from' in part) {
      const span = spans.get(part.key);
      if (!span) throw new Error(`report writer: the stored report has no ${part.key}`);
      chunks.push(stored.subarray(span[0], span[1]));
    } else if ('json' in part) text(part.json);
    else findingChunks(part.findings, canonical, chunks);
  }
  text(parts.length === 0 ? '{}' : '}');
  return chunks;
}

function findingChunks({ refs, layerOf, layers, whole }: FindingRefs, canonical: readonly (readonly [Buffer, Buffer])[], chunks: Uint8Array[]): void {
  const layerBytes = layers.map((l) => Buffer.from(l, 'utf8'));
  const comma = Buffer.from(',');
  chunks.push(Buffer.from('['));
  let nextWhole = 0;
  for (let i = 0; i < refs.length; i++) {
    if (i > 0) chunks.push(comma);
    const ref = refs[i]!;
    if (ref < 0) {
      chunks.push(Buffer.from(whole[nextWhole++]!, 'utf8'));
      continue;
    }
    const cut = canonical[ref];
    if (!cut) throw new Error(`report writer: no canonical finding ${ref}`);
    chunks.push(cut[0], layerBytes[layerOf[i]!]!, cut[1]);
  }
  chunks.push(Buffer.from(']'));
}
