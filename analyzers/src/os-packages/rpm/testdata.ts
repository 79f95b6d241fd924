/** Test helpers: the rpm database fixtures in ./testdata (see testdata/SOURCE.md). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { rpmVersionString } from './to-package.ts';
import type { InstalledRpm } from './installed-package.ts';

export const TESTDATA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');

export const fixture = (rel: string): Buffer => readFileSync(path.join(TESTDATA, rel));

/** `rpm -qa --qf "%{NAME}\t%|EPOCH?{%{EPOCH}}:{}|\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n" | sort` lines. */
export function readRpmQa(rel: string): string[] {
  return readFileSync(path.join(TESTDATA, rel), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The same line for a parsed package, as rpm would print it. */
export function asRpmQaLine(p: InstalledRpm): string {
  return [p.name, p.epoch ?? '', p.version, p.release, p.arch ?? '(none)', p.sourceRpm ?? '(none)'].join('\t');
}

/** Byte-order sort, like `sort` in the C locale used to make the expected files. */
export const sortLines = (lines: string[]): string[] => [...lines].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export { rpmVersionString };
