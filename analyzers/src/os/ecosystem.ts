/**
 * From an os-release ID and version to the OSV ecosystem name advisories use, with the
 * release where OSV keys advisories by release (`Debian:12`, `Ubuntu:22.04`, `Alpine:v3.19`).
 */
import type { OsInfo } from '@shipshape/shared';

const rpmFamilies: Record<string, string> = {
  rhel: 'Red Hat',
  centos: 'Red Hat',
  rocky: 'Rocky Linux',
  almalinux: 'AlmaLinux',
  sles: 'SUSE',
  sled: 'SUSE',
  'sle-micro': 'SUSE',
  'opensuse-leap': 'SUSE',
  'opensuse-tumbleweed': 'SUSE',
  opensuse: 'SUSE',
  mariner: 'Azure Linux',
  azurelinux: 'Azure Linux',
  photon: 'Photon OS',
  openeuler: 'openEuler',
  mageia: 'Mageia',
};

export function osvEcosystem(os: OsInfo | null): string | null {
  if (!os) return null;
  const version = os.version.trim();
  switch (os.family) {
    case 'debian': {
      const major = /^(\d+)/.exec(version)?.[1];
      return major ? `Debian:${major}` : 'Debian';
    }
    case 'ubuntu': {
      const release = /^(\d+\.\d+)/.exec(version)?.[1];
      return release ? `Ubuntu:${release}` : 'Ubuntu';
    }
    case 'alpine': {
      const release = /^(\d+\.\d+)/.exec(version)?.[1];
      // Alpine edge (e.g. 3.20_alpha20240329) has no stable release branch.
      return release && !version.includes('_') ? `Alpine:v${release}` : 'Alpine';
    }
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
