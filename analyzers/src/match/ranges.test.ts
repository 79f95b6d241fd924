import semver from 'semver';
import { describe, expect, it } from 'vitest';
import type { OsvRange } from './osv.ts';
import { fixedVersionsOf, rangeContains } from './ranges.ts';

// Range semantics alone, with plain semver order; ecosystem orders are tested in versions/.
const cmp = (a: string, b: string) => semver.compare(a, b);
const range = (...events: OsvRange['events']): OsvRange => ({ type: 'ECOSYSTEM', events });
const inRange = (r: OsvRange, v: string) => rangeContains(r, v, cmp);

describe('OSV range evaluation', () => {
  it('introduced/fixed is a half-open interval', () => {
    const r = range({ introduced: '1.2.0' }, { fixed: '1.4.0' });
    expect(['1.1.9', '1.2.0', '1.3.5', '1.4.0', '2.0.0'].map((v) => inRange(r, v))).toEqual([false, true, true, false, false]);
  });

  it('introduced "0" means every version before the fix', () => {
    const r = range({ introduced: '0' }, { fixed: '4.17.21' });
    expect(inRange(r, '0.0.1')).toBe(true);
    expect(inRange(r, '4.17.20')).toBe(true);
    expect(inRange(r, '4.17.21')).toBe(false);
  });

  it('last_affected includes that version and nothing above', () => {
    const r = range({ introduced: '0' }, { last_affected: '2.1.0' });
    expect(inRange(r, '2.1.0')).toBe(true);
    expect(inRange(r, '2.1.1')).toBe(false);
  });

  it('several intervals in one range, events given out of order', () => {
    const r = range({ fixed: '2.5.0' }, { introduced: '2.0.0' }, { fixed: '1.5.0' }, { introduced: '1.0.0' });
    const results = ['0.9.0', '1.0.0', '1.4.9', '1.5.0', '1.9.9', '2.0.0', '2.4.0', '2.5.0', '3.0.0'].map((v) => inRange(r, v));
    expect(results).toEqual([false, true, true, false, false, true, true, false, false]);
  });

  it('an introduced with no later fix stays open', () => {
    const r = range({ introduced: '1.0.0' }, { fixed: '1.1.0' }, { introduced: '3.0.0' });
    expect(inRange(r, '1.2.0')).toBe(false);
    expect(inRange(r, '3.0.0')).toBe(true);
    expect(inRange(r, '99.0.0')).toBe(true);
  });

  it('introduced and fixed at the same version is empty', () => {
    expect(inRange(range({ fixed: '1.0.0' }, { introduced: '1.0.0' }), '1.0.0')).toBe(false);
  });

  it('limit caps the range; "*" is no cap', () => {
    const r = range({ introduced: '1.0.0' }, { limit: '2.0.0' });
    expect(inRange(r, '1.9.0')).toBe(true);
    expect(inRange(r, '2.0.0')).toBe(false);
    expect(inRange(range({ introduced: '1.0.0' }, { limit: '*' }), '9.0.0')).toBe(true);
  });

  it('GIT ranges and unknown types never match; SEMVER does', () => {
    expect(inRange({ type: 'GIT', repo: 'https://example.test/r', events: [{ introduced: '0' }] }, '1.0.0')).toBe(false);
    expect(inRange({ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }, '0.5.0')).toBe(true);
  });

  it('an empty or missing event list matches nothing', () => {
    expect(inRange(range(), '1.0.0')).toBe(false);
    expect(inRange({ type: 'ECOSYSTEM' } as OsvRange, '1.0.0')).toBe(false);
  });

  it('lists fixed versions in order of appearance', () => {
    expect(fixedVersionsOf(range({ introduced: '0' }, { fixed: '1.2.3' }, { introduced: '2.0.0' }, { fixed: '2.0.1' }))).toEqual(['1.2.3', '2.0.1']);
    expect(fixedVersionsOf({ type: 'GIT', events: [{ fixed: 'abc' }] })).toEqual([]);
  });
});
