/**
 * Shannon entropy of a secret exactly as gitleaks computes it (detect/utils.go): the counts
 * are per character (Go ranges over the string's runes, an invalid UTF-8 byte being U+FFFD),
 * but the frequencies divide by the length in bytes. For ASCII that is the textbook entropy;
 * for other text it is what gitleaks compares a rule's `entropy` against.
 */
export function shannonEntropy(secret: Uint8Array | string): number {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (bytes.length === 0) return 0;
  return asciiEntropy(bytes) ?? runeEntropy(bytes);
}

const asciiCounts = new Int32Array(128);
const asciiOrder = new Uint8Array(128);

/**
 * An upper bound on the entropy of any part of these bytes, without knowing which part: ASCII
 * text of k distinct characters has at most log2(k) bits per character, and so has every piece
 * of it. Infinity for other text (gitleaks divides rune counts by bytes there, and the bound
 * would need more care than it is worth). The bound is exact in real numbers; callers comparing
 * it with a threshold leave a margin for the rounding of shannonEntropy's sum.
 */
export function entropyCeiling(bytes: Uint8Array): number {
  const seen = asciiCounts;
  seen.fill(0);
  let distinct = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x80) return Infinity;
    if (seen[b] === 0) {
      seen[b] = 1;
      distinct++;
    }
  }
  return distinct <= 1 ? 0 : Math.log2(distinct);
}

/**
 * The common case, ASCII (one rune per byte): counts in an array, no decoding. Null for other
 * text. The terms are summed in order of first appearance, as runeEntropy's Map does, so both
 * give the same float to the last bit (a rule's threshold can sit exactly on it).
 */
function asciiEntropy(bytes: Uint8Array): number | null {
  const counts = asciiCounts;
  const order = asciiOrder;
  counts.fill(0);
  let distinct = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x80) return null;
    if (counts[b]!++ === 0) order[distinct++] = b;
  }
  const inv = 1 / bytes.length;
  let entropy = 0;
  for (let j = 0; j < distinct; j++) {
    const freq = counts[order[j]!]! * inv;
    entropy -= freq * Math.log2(freq);
  }
  return entropy;
}

function runeEntropy(bytes: Uint8Array): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < bytes.length; ) {
    const [rune, width] = decodeRune(bytes, i);
    counts.set(rune, (counts.get(rune) ?? 0) + 1);
    i += width;
  }
  const inv = 1 / bytes.length;
  let entropy = 0;
  for (const n of counts.values()) {
    const freq = n * inv;
    entropy -= freq * Math.log2(freq);
  }
  return entropy;
}

const RUNE_ERROR = 0xfffd;

/** Go's utf8.DecodeRune: the rune at i and its width; invalid or truncated input is (U+FFFD, 1). */
export function decodeRune(b: Uint8Array, i: number): [number, number] {
  const c0 = b[i]!;
  if (c0 < 0x80) return [c0, 1];
  const cont = (k: number) => {
    const c = b[i + k];
    return c !== undefined && (c & 0xc0) === 0x80 ? c & 0x3f : -1;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(1);
    return c1 < 0 ? [RUNE_ERROR, 1] : [((c0 & 0x1f) << 6) | c1, 2];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 < 0 || c2 < 0) return [RUNE_ERROR, 1];
    const r = ((c0 & 0x0f) << 12) | (c1 << 6) | c2;
    // Overlong forms and UTF-16 surrogates are invalid.
    return r < 0x800 || (r >= 0xd800 && r <= 0xdfff) ? [RUNE_ERROR, 1] : [r, 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 < 0 || c2 < 0 || c3 < 0) return [RUNE_ERROR, 1];
    const r = ((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
    return r < 0x10000 || r > 0x10ffff ? [RUNE_ERROR, 1] : [r, 4];
  }
  return [RUNE_ERROR, 1];
}
