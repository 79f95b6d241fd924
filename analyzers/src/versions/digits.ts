/**
 * Compares two runs of decimal digits by value, whatever their length (versions carry
 * numbers beyond 2^53, and hostile ones beyond any integer type), ignoring leading zeros;
 * an empty run is zero. Index-based, no allocation: it sits on the hot path of most schemes.
 */
export function compareDigitStrings(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && a.charCodeAt(i) === 48) i++;
  while (j < b.length && b.charCodeAt(j) === 48) j++;
  const lengths = a.length - i - (b.length - j);
  if (lengths) return lengths;
  for (; i < a.length; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d) return d;
  }
  return 0;
}
