/**
 * PyPI version order: PEP 440, parsed by `@renovatebot/pep440` (a port of pypa/packaging)
 * and ordered by packaging's comparison key, computed once per version.
 * Strings that are not valid PEP 440 are ordered as packaging's old `LegacyVersion` did
 * (before packaging 22) and as OSV-Scanner still does: all of them before every valid
 * version, among themselves by the legacy key (numeric runs zero-padded, `pre`/`preview`/
 * `rc` → `c`, `dev` → `@`, alphabetic runs prefixed by `*`, a final `*final` marker).
 */
import { parse as pep440Parse } from '@renovatebot/pep440';
import type { VersionScheme } from './scheme.ts';

/** packaging's `_cmpkey` tuple; ±Infinity stand for its Infinity / NegativeInfinity. */
type Key = number | string | Key[];

export interface PypiVersion {
  /** The sort key, when the version is valid PEP 440. */
  key: Key[] | null;
  /** The legacy key, when it is not. */
  legacy: string[] | null;
}

/**
 * The comparison key of a parsed version, as packaging (and @renovatebot/pep440's own
 * `compare`) builds it; computed once per version so that comparing is cheap.
 */
interface ParsedPep440 {
  epoch: number;
  release: number[];
  pre: [string, number] | null;
  post: [string, number] | null;
  dev: [string, number] | null;
  /** At run time an array of parts (the published typings say string). */
  local: (string | number)[] | null;
}

function cmpKey(v: ParsedPep440): Key[] {
  const release = [...v.release];
  while (release.length > 0 && release[release.length - 1] === 0) release.pop();
  const pre: Key = v.pre ? v.pre : !v.post && v.dev ? -Infinity : Infinity;
  const post: Key = v.post ? v.post : -Infinity;
  const dev: Key = v.dev ? v.dev : Infinity;
  const local: Key = v.local ? v.local.map((i) => (typeof i === 'number' ? [i, ''] : [-Infinity, i])) : -Infinity;
  return [v.epoch, release, pre, post, dev, local];
}

/** Python's tuple ordering, with a scalar compared to a tuple as a one-element tuple. */
function pyCompare(a: Key, b: Key): number {
  if (a === b) return 0;
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = Array.isArray(a) ? a : [a];
    const y = Array.isArray(b) ? b : [b];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const r = pyCompare(x[i]!, y[i]!);
      if (r) return r;
    }
    return x.length - y.length;
  }
  if (a === -Infinity || b === Infinity) return -1;
  if (a === Infinity || b === -Infinity) return 1;
  return a < b ? -1 : 1;
}

const LEGACY_REPLACEMENTS: Record<string, string> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };

function legacyKey(version: string): string[] {
  const parts: string[] = [];
  const raw = version.toLowerCase().split(/(\d+|[a-z]+|\.|-)/);
  const pieces: string[] = [];
  for (const r of raw) {
    const part = LEGACY_REPLACEMENTS[r] ?? r;
    if (!part || part === '.') continue;
    pieces.push(/^\d/.test(part) ? part.padStart(8, '0') : `*${part}`);
  }
  pieces.push('*final');
  for (const part of pieces) {
    if (part.startsWith('*')) {
      if (part < '*final') while (parts.length && parts[parts.length - 1] === '*final-') parts.pop();
      while (parts.length && parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return parts;
}

export function parsePypiVersion(input: string): PypiVersion {
  const v = input.trim();
  const parsed = pep440Parse(v);
  return parsed ? { key: cmpKey(parsed as unknown as ParsedPep440), legacy: null } : { key: null, legacy: legacyKey(v) };
}

function compareKeys(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

export function comparePypiParsed(a: PypiVersion, b: PypiVersion): number {
  if (a.key && b.key) return pyCompare(a.key, b.key);
  if (a.legacy && b.legacy) return compareKeys(a.legacy, b.legacy);
  return a.legacy ? -1 : 1;
}

export const pypiScheme: VersionScheme<PypiVersion> = {
  name: 'pypi',
  parse: parsePypiVersion,
  compare: comparePypiParsed,
  isValid: (v) => v.key !== null,
};
