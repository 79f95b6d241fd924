/**
 * From an installed rpm to Shipshape's package: `[epoch:]version-release` as the version,
 * the source package from SOURCERPM, a purl per the purl spec (`pkg:rpm/<vendor>/<name>@
 * <version>-<release>?arch=…&epoch=…`). Until the scan knows the OS, the ecosystem and purl
 * namespace are guessed from the package's VENDOR; `qualifyOsPackages` then sets them from
 * the detected OS. With no recognisable vendor the ecosystem is the generic `rpm` (which
 * `compareVersions` orders like any rpm distribution).
 */
import type { Finding } from '../../analyzer.ts';
import { purl } from '../../purl.ts';
import { parseSourceRpm, type InstalledRpm } from './installed-package.ts';

type PackageFinding = Extract<Finding, { kind: 'package' }>['package'];

const VENDORS: [RegExp, string, string][] = [
  [/red hat/i, 'redhat', 'Red Hat'],
  [/opensuse/i, 'opensuse', 'openSUSE'],
  [/suse/i, 'suse', 'SUSE'],
  [/rocky/i, 'rocky', 'Rocky Linux'],
  [/almalinux/i, 'almalinux', 'AlmaLinux'],
  [/centos/i, 'centos', 'Red Hat'],
  [/fedora/i, 'fedora', 'rpm'],
  [/amazon/i, 'amazon', 'rpm'],
  [/oracle/i, 'oracle', 'rpm'],
  [/microsoft/i, 'mariner', 'Azure Linux'],
];

function vendorOf(vendor: string | null): { namespace?: string; ecosystem: string } {
  for (const [re, namespace, ecosystem] of VENDORS) if (vendor && re.test(vendor)) return { namespace, ecosystem };
  return { ecosystem: 'rpm' };
}

export function rpmVersionString(p: Pick<InstalledRpm, 'epoch' | 'version' | 'release'>): string {
  const vr = p.release ? `${p.version}-${p.release}` : p.version;
  return p.epoch !== null ? `${p.epoch}:${vr}` : vr;
}

export function toPackage(p: InstalledRpm): PackageFinding {
  const { namespace, ecosystem } = vendorOf(p.vendor);
  const source = p.sourceRpm ? parseSourceRpm(p.sourceRpm) : null;
  const epoch = p.epoch !== null ? `${p.epoch}:` : '';
  const metadata: Record<string, unknown> = { epoch: p.epoch, release: p.release };
  if (p.sourceRpm) metadata.sourceRpm = p.sourceRpm;
  if (p.modularityLabel) metadata.modularityLabel = p.modularityLabel;
  if (p.license) metadata.license = p.license;
  if (p.vendor) metadata.vendor = p.vendor;
  if (p.size !== null) metadata.size = p.size;
  return {
    ecosystem,
    name: p.name,
    version: rpmVersionString(p),
    // The source rpm carries no epoch of its own; rpm builds it with the package's epoch.
    sourceName: source ? source.name : p.name,
    sourceVersion: source ? `${epoch}${source.version}-${source.release}` : rpmVersionString(p),
    purl: purl({
      type: 'rpm',
      namespace,
      name: p.name,
      version: p.release ? `${p.version}-${p.release}` : p.version,
      qualifiers: { arch: p.arch ?? undefined, epoch: p.epoch !== null ? String(p.epoch) : undefined },
    }),
    ...(p.arch ? { arch: p.arch } : {}),
    metadata,
  };
}
