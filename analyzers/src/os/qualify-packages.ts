/**
 * OS package analyzers see one database file, not the OS: they emit a generic ecosystem
 * (`Debian`, `Alpine`…) and purl. Once the merge knows the OS, this step gives each OS
 * package its release-specific OSV ecosystem (`Debian:12`) and the purl its distro.
 */
import type { OsInfo, Package } from '@shipshape/shared';
import { parsePurl, purl } from '../purl.ts';
import { osvEcosystem, purlNamespace } from './ecosystem.ts';

const packageTypeOf: Record<string, 'deb' | 'apk' | 'rpm'> = {
  debian: 'deb',
  ubuntu: 'deb',
  alpine: 'apk',
  wolfi: 'apk',
  chainguard: 'apk',
};

function osPackageType(os: OsInfo): 'deb' | 'apk' | 'rpm' | null {
  if (packageTypeOf[os.family]) return packageTypeOf[os.family]!;
  return osvEcosystem(os) ? 'rpm' : null;
}

export function qualifyOsPackages(packages: Package[], os: OsInfo | null): Package[] {
  if (!os) return packages;
  const ecosystem = osvEcosystem(os);
  const type = osPackageType(os);
  if (!ecosystem || !type) return packages;
  const namespace = purlNamespace(os);
  const distro = type === 'apk' ? os.version : `${namespace}-${os.version}`;
  return packages.map((p) => {
    const parts = parsePurl(p.purl);
    if (!parts || parts.type !== type) return p;
    const qualifiers = { ...parts.qualifiers, ...(os.version ? { distro } : {}) };
    return { ...p, ecosystem, purl: purl({ ...parts, namespace, qualifiers }) };
  });
}
