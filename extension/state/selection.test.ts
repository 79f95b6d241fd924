import { describe, expect, it } from 'vitest';
import { clickRow, emptySelection, pruneSelection } from './selection';

const order = ['a', 'b', 'c', 'd', 'e'];

describe('clickRow', () => {
  it('selects a shift-click range from the anchor, in either direction', () => {
    const first = clickRow(emptySelection, order, 1, {});
    expect([...clickRow(first, order, 3, { shift: true }).ids]).toEqual(['b', 'c', 'd']);
    expect([...clickRow(first, order, 0, { shift: true }).ids]).toEqual(['a', 'b']);
  });
  it('toggles with ctrl and keeps the others; ctrl+shift adds a range', () => {
    let s = clickRow(emptySelection, order, 0, {});
    s = clickRow(s, order, 2, { toggle: true });
    expect([...s.ids].sort()).toEqual(['a', 'c']);
    s = clickRow(s, order, 4, { shift: true, toggle: true });
    expect([...s.ids].sort()).toEqual(['a', 'c', 'd', 'e']);
    s = clickRow(s, order, 0, { toggle: true });
    expect(s.ids.has('a')).toBe(false);
  });
  it('drops ids that are no longer listed', () => {
    const s = clickRow(clickRow(emptySelection, order, 0, {}), order, 2, { shift: true });
    expect([...pruneSelection(s, ['b', 'z']).ids]).toEqual(['b']);
  });
});
