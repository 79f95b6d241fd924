/**
 * PyPI version order: PEP 440 through `@renovatebot/pep440` (a port of pypa/packaging).
 * Strings that are not valid PEP 440 are ordered as packaging's old `LegacyVersion` did
 * (before packaging 22) and as OSV-Scanner still does: all of them before every valid
 * version, among themselves by the legacy key (numeric runs zero-padded, `pre`/`preview`/
 * `rc` → `c`, `dev` → `@`, alphabetic runs prefixed by `*`, a final `*final` marker).
 */
import { compare as pep440Compare, valid as pep440Valid } from '@renovatebot/pep440';
import type { VersionScheme } from './scheme.ts';

export interface PypiVersion {
  /** The trimmed string, when it is valid PEP 440. */
  valid: string | null;
  /** The legacy key, when it is not. */
  legacy: string[] | null;
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
  return pep440Valid(v) ? { valid: v, legacy: null } : { valid: null, legacy: legacyKey(v) };
}

function compareKeys(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

export function comparePypiParsed(a: PypiVersion, b: PypiVersion): number {
  if (a.valid !== null && b.valid !== null) return pep440Compare(a.valid, b.valid);
  if (a.legacy && b.legacy) return compareKeys(a.legacy, b.legacy);
  return a.legacy ? -1 : 1;
}

export const pypiScheme: VersionScheme<PypiVersion> = {
  name: 'pypi',
  parse: parsePypiVersion,
  compare: comparePypiParsed,
  isValid: (v) => v.valid !== null,
};
