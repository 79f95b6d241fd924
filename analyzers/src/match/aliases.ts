/**
 * The same flaw is often published under several IDs (CVE, GHSA, GO-, PYSEC-, DSA-,
 * ALPINE-CVE-…), each record naming the others in `aliases`. Records whose IDs or
 * aliases overlap are one finding: group them (union-find over the IDs).
 */
import type { OsvRecord } from './osv.ts';

export function groupByAliases<T extends { record: OsvRecord }>(items: T[]): T[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(x, root);
    return root;
  };
  const add = (x: string) => {
    if (!parent.has(x)) parent.set(x, x);
  };
  for (const { record } of items) {
    add(record.id);
    for (const alias of record.aliases ?? []) {
      add(alias);
      parent.set(find(alias), find(record.id));
    }
  }
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const root = find(item.record.id);
    const group = groups.get(root);
    if (group) group.push(item);
    else groups.set(root, [item]);
  }
  return [...groups.values()];
}

/**
 * The ID a group is reported under: a database's own advisory (GHSA, GO-, PYSEC-,
 * RUSTSEC-, DSA-…) over a bare CVE; then the record with a CVSS vector; then the
 * smallest ID, so the choice is stable.
 */
export function primaryRecord(records: OsvRecord[]): OsvRecord {
  const score = (r: OsvRecord) => (r.id.startsWith('CVE-') ? 2 : 0) + ((r.severity?.length ?? 0) > 0 ? 0 : 1);
  const sorted = [...records].sort((a, b) => score(a) - score(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sorted[0] as OsvRecord;
}

/** Every ID the group is known by, except the primary one. */
export function allAliases(records: OsvRecord[], primaryId: string): string[] {
  const ids = new Set<string>();
  for (const r of records) {
    ids.add(r.id);
    for (const a of r.aliases ?? []) ids.add(a);
  }
  ids.delete(primaryId);
  return [...ids].sort();
}
