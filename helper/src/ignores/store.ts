/**
 * The ignores in state.json (`ignores`: the rules, and when expiries were last applied).
 * Each rule is validated on its own: one damaged entry is kept as it was (and logged), never
 * dropped, and never takes the others or the rest of the state with it.
 */
import { IgnoreRule } from '@shipshape/shared';
import type { StateHost } from '../scan/state-host.ts';

interface Persisted {
  rules: unknown[];
  /** Expiries up to this time have been applied to the images' counts (ISO); null before the first sweep. */
  sweptAt: string | null;
}

export class IgnoreStore {
  private cache: { rules: IgnoreRule[]; unreadable: unknown[]; sweptAt: string | null } | null = null;

  constructor(
    private readonly host: StateHost,
    private readonly log: (line: string) => void = () => {},
  ) {}

  rules(): IgnoreRule[] {
    return this.read().rules;
  }

  sweptAt(): string | null {
    return this.read().sweptAt;
  }

  /** Replaces the rule list (and optionally the sweep time); written with the state. */
  save(rules: IgnoreRule[], sweptAt: string | null = this.read().sweptAt): void {
    const unreadable = this.read().unreadable;
    this.cache = { rules, unreadable, sweptAt };
    const persisted: Persisted = { rules: [...rules, ...unreadable], sweptAt };
    this.host.update((state) => {
      state.ignores = persisted;
    });
  }

  private read() {
    if (this.cache) return this.cache;
    const raw = (this.host.state as { ignores?: Partial<Persisted> }).ignores;
    const rules: IgnoreRule[] = [];
    const unreadable: unknown[] = [];
    for (const entry of Array.isArray(raw?.rules) ? raw.rules : []) {
      const parsed = IgnoreRule.safeParse(entry);
      if (parsed.success) rules.push(parsed.data);
      else unreadable.push(entry);
    }
    if (unreadable.length > 0) this.log(`${unreadable.length} ignore(s) in the state file could not be read; they are kept as they are and not applied`);
    this.cache = { rules, unreadable, sweptAt: typeof raw?.sweptAt === 'string' ? raw.sweptAt : null };
    return this.cache;
  }
}
