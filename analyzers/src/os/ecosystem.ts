/**
 * From an os-release ID and version to the OSV ecosystem name advisories use, with the
 * release where OSV keys advisories by release (`Debian:12`, `Ubuntu:22.04`, `Alpine:v3.19`).
 */
import type { OsInfo } from '@shipshape/shared';

/** rpm distros matched without a release (their advisories' release names are not mapped yet). */
const rpmFamilies: Record<string, string> = {
  'sle-micro': 'SUSE',
  opensuse: 'openSUSE',
  mariner: 'Azure Linux',
  azurelinux: 'Azure Linux',
  openeuler: 'openEuler',
  mageia: 'Mageia',
};

export function osvEcosystem(os: OsInfo | null): string | null {
  if (!os) return null;
  const version = os.version.trim();
  const major = /^(\d+)/.exec(version)?.[1];
  switch (os.family) {
    case 'debian':
      return major ? `Debian:${major}` : 'Debian';
    case 'ubuntu': {
      const release = /^(\d+\.\d+)/.exec(version)?.[1];
      return release ? `Ubuntu:${release}` : 'Ubuntu';
    }
    case 'alpine': {
      const release = /^(\d+\.\d+)/.exec(version)?.[1];
      // Alpine edge (e.g. 3.20_alpha20240329) has no stable release branch.
      return release && !version.includes('_') ? `Alpine:v${release}` : 'Alpine';
    }
    // Red Hat's advisories are per product stream (`Red Hat:enterprise_linux:9::appstream`);
    // canonicalEcosystem folds those to `Red Hat:9`. CentOS gets the RHEL fixes it rebuilds.
    case 'rhel':
    case 'centos':
      return major ? `Red Hat:${major}` : 'Red Hat';
    case 'rocky':
      return major ? `Rocky Linux:${major}` : 'Rocky Linux';
    case 'almalinux':
      return major ? `AlmaLinux:${major}` : 'AlmaLinux';
    // SUSE products are named per service pack (`SUSE:Linux Enterprise Server 15 SP5`), folded to `SUSE:15.5`.
    case 'sles':
    case 'sled':
    case 'sles_sap': {
      const release = /^(\d+)(?:\.(\d+))?/.exec(version);
      return release ? `SUSE:${release[1]}.${release[2] ?? '0'}` : 'SUSE';
    }
    case 'opensuse-leap':
      return /^\d+\.\d+$/.test(version) ? `openSUSE:Leap ${version}` : 'openSUSE';
    case 'opensuse-tumbleweed':
      return 'openSUSE:Tumbleweed';
    case 'photon':
      return /^\d+\.\d+$/.test(version) ? `Photon OS:${version}` : 'Photon OS';
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    default:
      return rpmFamilies[os.family] ?? null;
  }
}

/** The purl namespace (vendor) for a distro's packages. */
export function purlNamespace(os: OsInfo): string {
  if (os.family === 'rhel' || os.family === 'centos') return os.family === 'rhel' ? 'redhat' : 'centos';
  return os.family;
}
