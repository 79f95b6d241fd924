/**
 * The keyword reach and start profile of every built-in rule, proved once when builtin.toml is
 * written (rules/build-toml.ts writes rules/builtin-plans.json beside it) and read here, instead
 * of being proved again from the regex tree in every layer worker that meets the rule's keywords:
 * that proof runs cold code, ~0.1 s of a worker's first scan for the rules a Debian image wakes.
 *
 * A plan is keyed by the regex source and the keywords it was proved for. A rule that is not in
 * the file, or whose regex or keywords differ from it, is proved at run time as before (a user's
 * rule file, a built-in rule edited without writing the file again: catalog.test.ts fails then).
 */
import { readFileSync } from 'node:fs';
import type { Extent, KeywordReach } from './keyword-reach.ts';
import type { StartProfile } from './start-profile.ts';

export interface RulePlan {
  reach: KeywordReach | null;
  profile: StartProfile | null;
}

/** An extent as JSON: [bytes, newlines], null standing for Infinity. */
type ExtentJson = [number | null, number | null];

interface PlanJson {
  source: string;
  keywords: string[];
  /** [before, after], or null (no reach: the rule runs over whole files). */
  reach: [ExtentJson, ExtentJson] | null;
  /** Indexes into `sets`, one a position; the keyword; the literal (hex) and its offset; the longest match (null: unbounded). */
  profile: { sets: number[]; keyword: string | null; literal: [string, number] | null; maxLength: number | null } | null;
}

interface PlansFile {
  about: string;
  /** The distinct byte sets of the profiles' positions, each a 256-bit map in hex (bit b set: byte b accepted). */
  sets: string[];
  rules: PlanJson[];
}

const keyOf = (source: string, keywords: readonly string[]) => `${source}\0${keywords.join('\0')}`;
const finite = (n: number | null) => (n === null ? Infinity : n);
const orNull = (n: number) => (Number.isFinite(n) ? n : null);
const extentToJson = (e: Extent): ExtentJson => [orNull(e.bytes), orNull(e.newlines)];
const extentFromJson = ([bytes, newlines]: ExtentJson): Extent => ({ bytes: finite(bytes), newlines: finite(newlines) });

function setToHex(accepts: Uint8Array, row: number): string {
  const bits = Buffer.alloc(32);
  for (let b = 0; b < 256; b++) if (accepts[row + b] === 1) bits[b >> 3]! |= 1 << (b & 7);
  return bits.toString('hex');
}

/** The plans file for these rules (JSON text, one rule a line so that a change reads as a diff). */
export function encodePlans(rules: ReadonlyArray<{ source: string; keywords: string[]; plan: RulePlan }>, about: string): string {
  const sets: string[] = [];
  const setIndex = new Map<string, number>();
  const indexOf = (hex: string) => {
    let i = setIndex.get(hex);
    if (i === undefined) setIndex.set(hex, (i = sets.push(hex) - 1));
    return i;
  };
  const plans: PlanJson[] = rules.map(({ source, keywords, plan: { reach, profile } }) => ({
    source,
    keywords,
    reach: reach ? [extentToJson(reach.before), extentToJson(reach.after)] : null,
    profile: profile
      ? {
          sets: Array.from({ length: profile.length }, (_v, i) => indexOf(setToHex(profile.accepts, i * 256))),
          keyword: profile.keyword,
          literal: profile.literal ? [profile.literal.bytes.toString('hex'), profile.literal.at] : null,
          maxLength: orNull(profile.maxLength),
        }
      : null,
  }));
  const lines = (xs: unknown[]) => xs.map((x) => `    ${JSON.stringify(x)}`).join(',\n');
  return `{\n  "about": ${JSON.stringify(about)},\n  "sets": [\n${lines(sets)}\n  ],\n  "rules": [\n${lines(plans)}\n  ]\n}\n`;
}

/** The plans of a plans file, by regex source and keywords; each decoded when first asked for. */
export function decodePlans(text: string): (source: string, keywords: readonly string[]) => RulePlan | undefined {
  const file = JSON.parse(text) as PlansFile;
  const sets = file.sets.map((hex) => Buffer.from(hex, 'hex'));
  const raw = new Map(file.rules.map((p) => [keyOf(p.source, p.keywords), p]));
  const decoded = new Map<string, RulePlan>();
  return (source, keywords) => {
    const key = keyOf(source, keywords);
    let plan = decoded.get(key);
    if (plan) return plan;
    const p = raw.get(key);
    if (!p) return undefined;
    let profile: StartProfile | null = null;
    if (p.profile) {
      const accepts = new Uint8Array(p.profile.sets.length * 256);
      p.profile.sets.forEach((s, i) => {
        const bits = sets[s]!;
        for (let b = 0; b < 256; b++) if (bits[b >> 3]! & (1 << (b & 7))) accepts[i * 256 + b] = 1;
      });
      profile = {
        length: p.profile.sets.length,
        accepts,
        keyword: p.profile.keyword,
        literal: p.profile.literal ? { bytes: Buffer.from(p.profile.literal[0], 'hex'), at: p.profile.literal[1] } : null,
        maxLength: finite(p.profile.maxLength),
      };
    }
    plan = { reach: p.reach ? { before: extentFromJson(p.reach[0]), after: extentFromJson(p.reach[1]) } : null, profile };
    decoded.set(key, plan);
    return plan;
  };
}

let builtin: ReturnType<typeof decodePlans> | null = null;

/** The built-in rules' plan for this regex and keywords, or undefined (then prove it). */
export function builtinPlan(source: string, keywords: readonly string[]): RulePlan | undefined {
  if (!builtin) {
    let text: string | null = null;
    try {
      text = readFileSync(new URL('./rules/builtin-plans.json', import.meta.url), 'utf8');
    } catch {
      // No file (a build without it): every rule is proved at run time, as before.
    }
    builtin = text ? decodePlans(text) : () => undefined;
  }
  return builtin(source, keywords);
}
