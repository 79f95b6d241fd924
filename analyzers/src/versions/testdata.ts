/** Test helpers: read the third-party version vectors in ./testdata (see testdata/SOURCE.md). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');

export interface Vector {
  a: string;
  op: string;
  b: string;
  line: number;
}

export function readText(name: string): string {
  return readFileSync(path.join(DIR, name), 'utf8');
}

export function readJson<T>(name: string): T {
  return JSON.parse(readText(name)) as T;
}

/** `a<TAB>op<TAB>b` lines; `#` and `//` lines are comments (OSV-Scanner's files comment out known native bugs). */
export function readTsv(name: string): Vector[] {
  const out: Vector[] = [];
  readText(name)
    .split('\n')
    .forEach((raw, i) => {
      if (raw.trim() === '' || raw.startsWith('#') || raw.startsWith('//')) return;
      const [a, op, b] = raw.split('\t');
      if (a === undefined || op === undefined || b === undefined) throw new Error(`${name}:${i + 1}: not a vector: ${raw}`);
      out.push({ a, op, b, line: i + 1 });
    });
  return out;
}

/** Does comparison result `cmp` (of a against b) satisfy `op` (`<`, `=`, `>`, `<=`, `>=`, `!=`, `!op`)? */
export function holds(op: string, cmp: number): boolean {
  if (op.startsWith('!') && op !== '!=') return !holds(op.slice(1), cmp);
  switch (op) {
    case '<':
      return cmp < 0;
    case '>':
      return cmp > 0;
    case '=':
    case '==':
      return cmp === 0;
    case '<=':
      return cmp <= 0;
    case '>=':
      return cmp >= 0;
    case '!=':
      return cmp !== 0;
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

/** The vectors that a comparator gets wrong, formatted for a readable assertion failure. */
export function failures(vectors: Vector[], compare: (a: string, b: string) => number): string[] {
  const bad: string[] = [];
  for (const v of vectors) {
    const cmp = compare(v.a, v.b);
    // Antisymmetry too: b against a must give the mirrored answer.
    const back = compare(v.b, v.a);
    if (!holds(v.op, cmp) || Math.sign(back) !== -Math.sign(cmp)) bad.push(`line ${v.line}: ${v.a} ${v.op} ${v.b} (got ${cmp}, reverse ${back})`);
  }
  return bad;
}

/**
 * A generated file's chains (one package's versions in the native tool's order; blocks
 * separated by blank lines), each as its vectors.
 */
export function readChains(name: string): Vector[][] {
  const chains: Vector[][] = [[]];
  readText(name)
    .split('\n')
    .forEach((raw, i) => {
      if (raw.trim() === '') {
        if (chains[chains.length - 1]!.length > 0) chains.push([]);
        return;
      }
      if (raw.startsWith('#') || raw.startsWith('//')) return;
      const [a, op, b] = raw.split('\t');
      if (a === undefined || op === undefined || b === undefined) throw new Error(`${name}:${i + 1}: not a vector: ${raw}`);
      chains[chains.length - 1]!.push({ a, op, b, line: i + 1 });
    });
  return chains.filter((c) => c.length > 0);
}

/**
 * The held-out part of a chain file: about one chain in five, chosen by a hash of the chain's
 * first vector (so the split is the same on every run and for every reader), set aside before
 * the order was tuned and reported separately as the figure on unseen data.
 */
export function isHeldOut(chain: Vector[]): boolean {
  const first = chain[0];
  if (!first) return false;
  return createHash('sha256').update(`${first.a}\t${first.op}\t${first.b}`).digest()[0]! % 5 === 0;
}
