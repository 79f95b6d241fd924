/**
 * CVSS base scores from vectors, via ae-cvss-calculator (FIRST's formulas for 2.0, 3.0,
 * 3.1 and 4.0). The package is a webpack bundle: under Node's ESM loader its classes sit
 * on the CommonJS default export, under bundlers on the namespace; accept both.
 */
import * as cvssModule from 'ae-cvss-calculator';

type CvssLib = typeof cvssModule;
const lib: CvssLib = ((cvssModule as unknown as { default?: CvssLib }).default ?? cvssModule) as CvssLib;

export interface CvssScore {
  score: number;
  vector: string;
  version: '2.0' | '3.0' | '3.1' | '4.0';
}

/** Scores by vector: the same few thousand vectors recur across records and scans. */
const memo = new Map<string, CvssScore | null>();
const MEMO_LIMIT = 20_000;

/** Base score of a vector string, or null when the vector is not valid CVSS. */
export function cvssBaseScore(vector: string): CvssScore | null {
  const known = memo.get(vector);
  if (known !== undefined) return known;
  const scored = computeBaseScore(vector);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(vector, scored);
  return scored;
}

function computeBaseScore(vector: string): CvssScore | null {
  const trimmed = vector.trim();
  try {
    if (trimmed.startsWith('CVSS:4.0/')) return score(new lib.Cvss4P0(trimmed), trimmed, '4.0');
    if (trimmed.startsWith('CVSS:3.1/')) return score(new lib.Cvss3P1(trimmed), trimmed, '3.1');
    if (trimmed.startsWith('CVSS:3.0/')) return score(new lib.Cvss3P0(trimmed), trimmed, '3.0');
    if (/^AV:[LAN]\/AC:[HML]\/Au:[MSN]\//.test(trimmed)) return score(new lib.Cvss2(trimmed), trimmed, '2.0');
  } catch {
    return null;
  }
  return null;
}

function score(cvss: { calculateScores(): { base?: number } }, vector: string, version: CvssScore['version']): CvssScore | null {
  const base = cvss.calculateScores().base;
  return typeof base === 'number' && Number.isFinite(base) ? { score: base, vector, version } : null;
}
