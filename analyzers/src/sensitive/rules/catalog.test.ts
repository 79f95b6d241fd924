import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gitleaksToml } from '../accuracy/corpus.ts';
import { parseRuleFile } from '../rules.ts';
import { builtinToml } from './build-toml.ts';
import { catalog } from './catalog.ts';

describe('built-in rule catalog', () => {
  it('builtin.toml is what build-toml.ts writes from the catalog (run it after editing catalog.ts)', () => {
    expect(readFileSync(new URL('./builtin.toml', import.meta.url), 'utf8')).toBe(builtinToml());
  });
  it('has unique ids and loads as a gitleaks-format file', () => {
    expect(new Set(catalog.map((e) => e.id)).size).toBe(catalog.length);
    expect(parseRuleFile(builtinToml(), 'builtin').rules.map((r) => r.id)).toEqual(catalog.map((e) => e.id));
  });
  it('covers every rule of gitleaks.toml (the README table lists which entry covers which)', () => {
    const covered = new Set(catalog.flatMap((e) => e.covers));
    const gitleaksIds = parseRuleFile(gitleaksToml(), 'gitleaks.toml').rules.map((r) => r.id);
    expect(gitleaksIds.filter((id) => !covered.has(id))).toEqual([]);
    expect([...covered].filter((id) => !gitleaksIds.includes(id))).toEqual(['gcp-service-account']);
  });
});
