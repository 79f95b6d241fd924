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

/** rpm-based distros: their advisories name binary packages, so packages match by their own name. */
const rpmDistroEcosystems = new Set(['Red Hat', 'Rocky Linux', 'AlmaLinux', 'SUSE', 'openSUSE', 'Photon OS', 'Mageia', 'openEuler', 'Azure Linux']);

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
  if (ecosystem.startsWith('Ubuntu:')) return ecosystem.endsWith(':LTS') ? ecosystem.slice(0, -4) : ecosystem;
  if (ecosystem.startsWith('Red Hat:')) return redHatRelease(ecosystem) ?? ecosystem;
  if (ecosystem.startsWith('SUSE:')) return suseRelease(ecosystem) ?? ecosystem;
  return ecosystem;
}

/**
 * Red Hat writes the product CPE: `Red Hat:enterprise_linux:9::appstream` (and `::baseos`,
 * `::crb`…) is what a RHEL 9 or UBI 9 image installs from: `Red Hat:9`. Extended-support
 * streams (`rhel_eus:9.2`, `rhel_aus`, `rhel_e4s`) ship fixes a plain image does not get.
 */
function redHatRelease(ecosystem: string): string | null {
  const m = /^Red Hat:enterprise_linux:(\d+)(?:\.\d+)?(?::|$)/.exec(ecosystem);
  return m ? `Red Hat:${m[1]}` : null;
}

/**
 * SUSE names products with their service pack: `SUSE:Linux Enterprise Server 15 SP5`,
 * `SUSE:Linux Enterprise Module for Basesystem 15 SP5`: all of them are SLE 15.5, what an
 * image's os-release says (`VERSION_ID="15.5"`). SLE Micro's own 5.x line is left alone.
 */
function suseRelease(ecosystem: string): string | null {
  const m = /^SUSE:(?:SUSE )?Linux Enterprise (?!Micro)[^:]*? (1[0-9])(?: SP(\d+))?(?:[- :][^:]*)?$/.exec(ecosystem);
  return m ? `SUSE:${m[1]}.${m[2] ?? '0'}` : null;
}

/** Distro packages match with the distro release and the distro's version order. */
export function isDistroEcosystem(ecosystem: string): boolean {
  return distroEcosystems.has(baseEcosystem(ecosystem));
}

/**
 * Debian, Ubuntu and Alpine advisories name source packages (dpkg Source, apk origin); rpm
 * distros' advisories name each binary rpm (`python39-cffi`, not only `python-cffi`).
 */
export function matchesBySourceName(ecosystem: string): boolean {
  return isDistroEcosystem(ecosystem) && !rpmDistroEcosystems.has(baseEcosystem(ecosystem));
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
