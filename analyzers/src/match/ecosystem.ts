/**
 * OSV ecosystem names: `Debian:12` is the `Debian` ecosystem at release 12. Distro
 * advisories are per release and per source package; language advisories are per
 * package name, normalised the way OSV does for that ecosystem.
 */

/** `Debian:12` → `Debian`; `Ubuntu:22.04:LTS` → `Ubuntu`; `npm` → `npm`. */
export function baseEcosystem(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? ecosystem : ecosystem.slice(0, colon);
}

const distroEcosystems = new Set([
  'Debian', 'Ubuntu', 'Alpine', 'Red Hat', 'Rocky Linux', 'AlmaLinux', 'SUSE', 'openSUSE', 'Photon OS',
  'Mageia', 'Wolfi', 'Chainguard', 'openEuler', 'Azure Linux', 'Echo',
]);

/**
 * The form advisories are stored and compared under. OSV writes Ubuntu LTS releases as
 * `Ubuntu:22.04:LTS`, while an image's os-release gives `22.04`: the `:LTS` marker is
 * dropped on both sides. (`Ubuntu:Pro:…` ESM advisories stay distinct: a plain image
 * does not get those fixes.)
 */
export function canonicalEcosystem(ecosystem: string): string {
  return ecosystem.startsWith('Ubuntu:') && ecosystem.endsWith(':LTS') ? ecosystem.slice(0, -4) : ecosystem;
}

/** Distro packages match by source package (dpkg Source, apk origin, rpm SOURCERPM). */
export function isDistroEcosystem(ecosystem: string): boolean {
  return distroEcosystems.has(baseEcosystem(ecosystem));
}

/**
 * The key packages are stored and looked up under. PyPI follows PEP 503 (case-folded,
 * runs of `-_.` become `-`), as osv.dev does; the other ecosystems compare names exactly.
 */
export function normalizePackageName(ecosystem: string, name: string): string {
  if (baseEcosystem(ecosystem) === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  return name;
}

/** OSV Go advisories write versions without the `v` prefix module versions carry. */
export function normalizeQueryVersion(ecosystem: string, version: string): string {
  if (baseEcosystem(ecosystem) === 'Go' && /^v\d/.test(version)) return version.slice(1);
  return version;
}
