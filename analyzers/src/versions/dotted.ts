/**
 * Plain dotted-number orders: Hackage (Haskell PVP: `1.0` < `1.0.0`, a prefix is older)
 * and CRAN (R's `package_version`: numbers separated by `.` or `-`, leading zeros ignored,
 * a prefix is older). Non-numeric parts make a version invalid; they are read as 0.
 */
import type { VersionScheme } from './scheme.ts';
import { compareDigitStrings } from './digits.ts';

export interface DottedVersion {
  parts: string[];
  valid: boolean;
}

function dottedScheme(name: string, separators: RegExp): VersionScheme<DottedVersion> {
  return {
    name,
    parse: (input) => {
      const raw = input.trim().split(separators);
      return { parts: raw.map((p) => (/^\d+$/.test(p) ? p : '0')), valid: raw.every((p) => /^\d+$/.test(p)) };
    },
    compare: (a, b) => {
      const n = Math.min(a.parts.length, b.parts.length);
      for (let i = 0; i < n; i++) {
        const c = compareDigitStrings(a.parts[i]!, b.parts[i]!);
        if (c) return c;
      }
      return a.parts.length - b.parts.length;
    },
    isValid: (v) => v.valid,
  };
}

export const hackageScheme = dottedScheme('hackage', /\./);
export const cranScheme = dottedScheme('cran', /[.-]/);
