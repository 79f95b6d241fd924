/** Display helpers. Timestamps use the user's locale and time zone. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : dateTime.format(date);
}

const units = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function shortDigest(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

const relative = new Intl.RelativeTimeFormat(undefined, { style: 'narrow', numeric: 'always' });
const ageUnits: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3d ago", "5mo ago": how old something is, short enough for a compact row. */
export function formatAge(iso: string | null | undefined, now: number = Date.now()): string {
  const at = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(at)) return '—';
  const ms = Math.max(0, now - at);
  for (const [unit, size] of ageUnits) if (ms >= size) return relative.format(-Math.floor(ms / size), unit);
  return 'just now';
}

/**
 * An image name in three parts for narrow rows: the registry and path prefix (first to give
 * way), the repository's own name, and the tag (kept whole): "registry.example/team/",
 * "api", ":1.2".
 */
export function splitImageName(name: string): { prefix: string; base: string; tag: string } {
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tagAt = colon > slash ? colon : name.length;
  return { prefix: name.slice(0, slash + 1), base: name.slice(slash + 1, tagAt), tag: name.slice(tagAt) };
}
