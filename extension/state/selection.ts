/**
 * Multi-select as in a file manager: click selects one, Ctrl/Cmd-click toggles one,
 * Shift-click selects the range from the anchor (the last plain or toggled click).
 */
export type Selection = { ids: ReadonlySet<string>; anchor: number | null };

export const emptySelection: Selection = { ids: new Set(), anchor: null };

export function clickRow(selection: Selection, order: readonly string[], index: number, keys: { shift?: boolean; toggle?: boolean }): Selection {
  const id = order[index];
  if (id === undefined) return selection;
  if (keys.shift && selection.anchor !== null) {
    const [from, to] = selection.anchor <= index ? [selection.anchor, index] : [index, selection.anchor];
    const ids = new Set(keys.toggle ? selection.ids : []);
    for (let i = from; i <= to; i++) {
      const rangeId = order[i];
      if (rangeId !== undefined) ids.add(rangeId);
    }
    return { ids, anchor: selection.anchor };
  }
  if (keys.toggle) {
    const ids = new Set(selection.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: index };
  }
  return { ids: new Set([id]), anchor: index };
}

/** Keeps only the ids still listed (after a reload or a filter change). */
export function pruneSelection(selection: Selection, order: readonly string[]): Selection {
  const listed = new Set(order);
  const ids = new Set([...selection.ids].filter((id) => listed.has(id)));
  return ids.size === selection.ids.size ? selection : { ids, anchor: null };
}
