/**
 * OSV range semantics (https://ossf.github.io/osv-schema/#affectedranges-field):
 * events are sorted by the ecosystem's version order (`introduced: "0"` first) and
 * walked once; `introduced` opens an affected interval, `fixed` closes it before that
 * version, `last_affected` closes it after that version; `limit` caps the whole range.
 * GIT ranges are commit graphs, which an image inventory cannot place: ignored.
 */
import type { OsvEvent, OsvRange } from './osv.ts';

export type VersionCompare = (a: string, b: string) => number;

function eventVersion(event: OsvEvent): string | undefined {
  return event.introduced ?? event.fixed ?? event.last_affected ?? event.limit;
}

/** Order events; on equal versions `introduced` comes first so `[introduced X, fixed X]` is empty. */
function sortEvents(events: OsvEvent[], compare: VersionCompare): OsvEvent[] {
  const rank = (e: OsvEvent) => (e.introduced !== undefined ? 0 : 1);
  return [...events].sort((a, b) => {
    if (a.introduced === '0') return b.introduced === '0' ? 0 : -1;
    if (b.introduced === '0') return 1;
    const va = eventVersion(a);
    const vb = eventVersion(b);
    if (va === undefined || vb === undefined) return 0;
    return compare(va, vb) || rank(a) - rank(b);
  });
}

/** True when `version` lies in the range. Throws only if `compare` throws. */
export function rangeContains(range: OsvRange, version: string, compare: VersionCompare): boolean {
  if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') return false;
  const events = Array.isArray(range.events) ? range.events : [];
  const limits = events.filter((e) => e.limit !== undefined && e.limit !== '*').map((e) => e.limit as string);
  if (limits.length > 0 && !limits.some((limit) => compare(version, limit) < 0)) return false;

  let affected = false;
  for (const event of sortEvents(events.filter((e) => e.limit === undefined), compare)) {
    if (event.introduced !== undefined) {
      if (!affected) affected = event.introduced === '0' || compare(version, event.introduced) >= 0;
    } else if (event.fixed !== undefined) {
      if (affected && compare(version, event.fixed) >= 0) affected = false;
    } else if (event.last_affected !== undefined) {
      if (affected && compare(version, event.last_affected) > 0) affected = false;
    }
  }
  return affected;
}

/** The `fixed` versions of a range, in the order they appear. */
export function fixedVersionsOf(range: OsvRange): string[] {
  if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') return [];
  return (range.events ?? []).flatMap((e) => (e.fixed !== undefined ? [e.fixed] : []));
}
