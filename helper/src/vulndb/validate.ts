/**
 * Structural check of an untrusted OSV record: the fields the matcher and the report
 * read must have the types the OSV schema gives them. Deliberately not the full JSON
 * Schema: real data breaks it in harmless places (PYSEC GIT ranges whose `fixed` is not
 * a commit hash) and those records must still import. Hand-written because it runs for
 * every record of a million-record import.
 */
import type { OsvRecord } from '@shipshape/analyzers/match/index.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v);

function checkSeverity(v: unknown): boolean {
  return Array.isArray(v) && v.every((s) => isObject(s) && typeof s.type === 'string' && typeof s.score === 'string');
}

function checkRange(r: unknown): string | null {
  if (!isObject(r) || typeof r.type !== 'string') return 'range without a type';
  if (!Array.isArray(r.events) || r.events.length === 0) return 'range without events';
  for (const e of r.events) {
    if (!isObject(e)) return 'event is not an object';
    const keys = Object.keys(e);
    if (keys.length !== 1) return 'event must have exactly one of introduced/fixed/last_affected/limit';
    const key = keys[0] as string;
    if (!['introduced', 'fixed', 'last_affected', 'limit'].includes(key) || typeof e[key] !== 'string') return `bad event ${key}`;
  }
  return null;
}

function checkAffected(a: unknown): string | null {
  if (!isObject(a)) return 'affected entry is not an object';
  if (a.package !== undefined) {
    const p = a.package;
    if (!isObject(p) || typeof p.ecosystem !== 'string' || typeof p.name !== 'string' || p.name === '') return 'package needs ecosystem and name';
  }
  if (!optional(a.versions, isStringArray)) return 'versions must be strings';
  if (!optional(a.severity, checkSeverity)) return 'bad affected severity';
  if (a.ranges !== undefined) {
    if (!Array.isArray(a.ranges)) return 'ranges must be an array';
    for (const r of a.ranges) {
      const problem = checkRange(r);
      if (problem) return problem;
    }
  }
  return null;
}

/** null when the record is usable; otherwise why not. */
export function osvRecordProblem(value: unknown): string | null {
  if (!isObject(value)) return 'not a JSON object';
  if (typeof value.id !== 'string' || value.id.trim() === '') return 'missing id';
  if (typeof value.modified !== 'string') return 'missing modified';
  for (const field of ['published', 'withdrawn', 'summary', 'details'] as const) {
    if (!optional(value[field], (v) => typeof v === 'string')) return `${field} must be a string`;
  }
  if (!optional(value.aliases, isStringArray)) return 'aliases must be strings';
  if (!optional(value.severity, checkSeverity)) return 'bad severity';
  if (!optional(value.references, (v) => Array.isArray(v) && v.every((r) => isObject(r) && typeof r.url === 'string'))) return 'bad references';
  if (value.affected !== undefined) {
    if (!Array.isArray(value.affected)) return 'affected must be an array';
    for (const a of value.affected) {
      const problem = checkAffected(a);
      if (problem) return problem;
    }
  }
  return null;
}

export function asOsvRecord(value: unknown): { record: OsvRecord } | { problem: string } {
  const problem = osvRecordProblem(value);
  return problem ? { problem } : { record: value as OsvRecord };
}
