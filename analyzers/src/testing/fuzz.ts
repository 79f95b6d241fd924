/**
 * Test helper for the parser fuzz tests (`*.fuzz.test.ts`): mutates real fixtures (byte flips,
 * truncation, splicing, deleted/duplicated ranges, random lines) with fast-check, runs a
 * property on each mutant under a per-run time budget, and prints how many cases ran so the
 * count can be reported.
 */
import * as fc from 'fast-check';

type Mutation =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; donor: number; from: number; length: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'line'; at: number; line: string };

const mutationArbs: Record<Mutation['kind'], fc.Arbitrary<Mutation>> = {
  flip: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  truncate: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  splice: fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), donor: fc.nat(), from: fc.nat(), length: fc.integer({ min: 1, max: 512 }) }),
  delete: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 256 }) }),
  duplicate: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 256 }) }),
  line: fc.record({ kind: fc.constant('line' as const), at: fc.nat(), line: fc.string({ unit: 'binary', maxLength: 80 }) }),
};

function applyMutation(data: Buffer, m: Mutation, seeds: readonly Buffer[]): Buffer {
  const at = data.length === 0 ? 0 : m.at % (data.length + 1);
  switch (m.kind) {
    case 'flip':
      if (data.length === 0) return data;
      return Buffer.concat([data.subarray(0, at % data.length), Buffer.from([m.value]), data.subarray((at % data.length) + 1)]);
    case 'truncate':
      return data.subarray(0, at);
    case 'splice': {
      const donor = seeds[m.donor % seeds.length] ?? data;
      const from = donor.length === 0 ? 0 : m.from % donor.length;
      return Buffer.concat([data.subarray(0, at), donor.subarray(from, from + m.length), data.subarray(at)]);
    }
    case 'delete':
      return Buffer.concat([data.subarray(0, at), data.subarray(at + m.length)]);
    case 'duplicate':
      return Buffer.concat([data.subarray(0, at + m.length), data.subarray(at)]);
    case 'line': {
      // Insert at a line start so line-oriented formats see a whole foreign line.
      const lineStart = data.lastIndexOf(0x0a, at - 1) + 1;
      return Buffer.concat([data.subarray(0, lineStart), Buffer.from(`${m.line}\n`, 'utf8'), data.subarray(lineStart)]);
    }
  }
}

export type MutationKind = Mutation['kind'];
const ALL_KINDS = Object.keys(mutationArbs) as MutationKind[];

/**
 * A fixture picked from `seeds` with one to `maxMutations` mutations applied. `kinds` limits
 * the mutations, e.g. `['flip']` keeps block-structured formats (tar) aligned.
 */
export function mutatedBytes(seeds: readonly Buffer[], maxMutations = 4, kinds: readonly MutationKind[] = ALL_KINDS): fc.Arbitrary<Buffer> {
  if (seeds.length === 0) throw new Error('mutatedBytes needs at least one seed');
  const mutationArb = fc.oneof(...kinds.map((kind) => mutationArbs[kind]));
  return fc
    .tuple(fc.nat({ max: seeds.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: maxMutations }))
    .map(([seed, mutations]) => mutations.reduce((data, m) => applyMutation(data, m, seeds), seeds[seed]!));
}

/** Like `mutatedBytes`, decoded as UTF-8 (invalid sequences become U+FFFD, as a reader would). */
export function mutatedText(seeds: readonly Buffer[], maxMutations = 4): fc.Arbitrary<string> {
  return mutatedBytes(seeds, maxMutations).map((b) => b.toString('utf8'));
}

export interface FuzzOptions {
  numRuns: number;
  /** Per-case budget: an async property still pending after this fails the run (a hang). */
  caseTimeoutMs?: number;
}

/**
 * The same cases on every run by default, so a red test suite is never luck; FUZZ_SEED=random
 * explores new cases (the seed is printed with any failure), and FUZZ_SEED=<seed> with
 * FUZZ_PATH=<path> replays a failure fast-check reported.
 */
const DEFAULT_SEED = 20261127;
function seedOptions(): { seed?: number; path?: string } {
  const seed = process.env.FUZZ_SEED;
  if (seed === 'random') return {};
  return { seed: seed ? Number(seed) : DEFAULT_SEED, ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}) };
}

/**
 * Runs `property` on every generated case; fails (with fast-check's seed and shrunk counterexample)
 * on an escaping exception, a false result, or a case that outlives its budget. Synchronous
 * parsers cannot be preempted, so for them the budget only catches the hang once it yields; the
 * vitest timeout stays the backstop.
 */
export async function fuzz<T>(name: string, arb: fc.Arbitrary<T>, property: (input: T) => unknown, opts: FuzzOptions): Promise<number> {
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(arb, async (input) => {
      cases++;
      const verdict = await property(input);
      return verdict !== false;
    }),
    {
      numRuns: opts.numRuns,
      timeout: opts.caseTimeoutMs ?? 2_000,
      // A whole-run ceiling well above the expected runtime: an overrun counts as a failure, not a pass.
      interruptAfterTimeLimit: Math.max(20_000, opts.numRuns * (opts.caseTimeoutMs ?? 2_000)),
      markInterruptAsFailure: true,
      ...seedOptions(),
    },
  );
  console.log(`fuzz ${name}: ${cases} cases`);
  return cases;
}

/**
 * An error a parser may throw by contract is an Error with a message. TypeError (a property of
 * undefined), RangeError (a buffer read past the end, stack overflow) and ReferenceError are
 * missed checks, i.e. crashes.
 */
export function isCleanError(error: unknown): boolean {
  return error instanceof Error && !(error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError) && error.message !== '';
}

/**
 * Runs a parser that may throw by contract: a thrown value must be a clean Error, a result
 * must pass `check`. Anything else (a TypeError from a missed bounds check, stack overflow) fails.
 */
export function parsedOrCleanError<T>(parse: () => T, check: (result: T) => void): void {
  let result: T;
  try {
    result = parse();
  } catch (error) {
    if (!isCleanError(error)) throw error;
    return;
  }
  check(result);
}
