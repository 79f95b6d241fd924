/**
 * RubyGems version order, to RubyGems' own definition (`Gem::Version#<=>`): the version is
 * split into numeric and alphabetic segments (`-` reads as `.pre.`), trailing zeros are
 * dropped from the numeric part and from the pre-release part (`canonical_segments`), then
 * segments compare pairwise, missing ones as 0; a string segment is older than a number.
 *
 * Invalid versions (not matching Gem::Version's pattern) are ordered with the same segment
 * rule; `isValid` is `Gem::Version.correct?`.
 */
import type { VersionScheme } from './scheme.ts';
import { compareDigitStrings } from './digits.ts';

type Segment = { num: true; value: string } | { num: false; value: string };

export interface GemVersion {
  original: string;
  segments: Segment[];
  valid: boolean;
}

const PATTERN = /^\s*([0-9]+(?:\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*$/;

export function parseGemVersion(input: string): GemVersion {
  const valid = PATTERN.test(input);
  let v = input.trim();
  if (v === '') v = '0';
  v = v.replaceAll('-', '.pre.');
  const raw: Segment[] = (v.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) =>
    /^\d/.test(s) ? { num: true, value: s.replace(/^0+(?=\d)/, '') } : { num: false, value: s },
  );
  // canonical_segments: split at the first string segment, drop trailing zeros of each half.
  const firstString = raw.findIndex((s) => !s.num);
  const halves = firstString < 0 ? [raw] : [raw.slice(0, firstString), raw.slice(firstString)];
  const segments: Segment[] = [];
  for (const half of halves) {
    let end = half.length;
    while (end > 0 && half[end - 1]!.num && half[end - 1]!.value === '0') end--;
    segments.push(...half.slice(0, end));
  }
  return { original: v, segments, valid };
}

const ZERO: Segment = { num: true, value: '0' };

export function compareGemParsed(a: GemVersion, b: GemVersion): number {
  if (a.original === b.original) return 0;
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const l = a.segments[i] ?? ZERO;
    const r = b.segments[i] ?? ZERO;
    if (l.num && r.num) {
      const c = compareDigitStrings(l.value, r.value);
      if (c) return c;
    } else if (!l.num && !r.num) {
      if (l.value !== r.value) return l.value < r.value ? -1 : 1;
    } else {
      return l.num ? 1 : -1;
    }
  }
  return 0;
}

export const rubygemsScheme: VersionScheme<GemVersion> = {
  name: 'rubygems',
  parse: parseGemVersion,
  compare: compareGemParsed,
  isValid: (v) => v.valid,
};
