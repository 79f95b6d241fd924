/** A scan report as a CycloneDX 1.5 JSON BOM (the image as a container component), via @cyclonedx/cyclonedx-library. */
import * as CDX from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import type { ScanReport, Severity } from '@shipshape/shared';
import { notCheckedOf } from './not-checked.ts';

const SEVERITY: Record<Severity, CDX.Enums.Vulnerability.Severity> = {
  critical: CDX.Enums.Vulnerability.Severity.Critical,
  high: CDX.Enums.Vulnerability.Severity.High,
  medium: CDX.Enums.Vulnerability.Severity.Medium,
  low: CDX.Enums.Vulnerability.Severity.Low,
  unknown: CDX.Enums.Vulnerability.Severity.Unknown,
};

function purlOf(purl: string): PackageURL | undefined {
  try {
    return PackageURL.fromString(purl);
  } catch {
    return undefined; // an unparsable purl: the component is still listed by name and version
  }
}

export function toCycloneDx(report: ScanReport, version: string): string {
  const bom = new CDX.Models.Bom();
  bom.metadata.timestamp = new Date();
  bom.metadata.tools.components.add(new CDX.Models.Component(CDX.Enums.ComponentType.Application, 'shipshape', { version }));
  const name = report.image.tags[0] ?? report.image.id;
  bom.metadata.component = new CDX.Models.Component(CDX.Enums.ComponentType.Container, name, {
    bomRef: report.image.id,
    version: report.image.id,
  });
  // Categories not checked: the BOM's vulnerability list is then no complete answer.
  for (const n of notCheckedOf(report)) bom.metadata.properties.add(new CDX.Models.Property(`shipshape:notChecked:${n.category}`, n.reason));
  const byPurl = new Map<string, CDX.Models.Component>();
  for (const pkg of report.packages) {
    if (byPurl.has(pkg.purl)) continue;
    const purl = purlOf(pkg.purl);
    const component = new CDX.Models.Component(CDX.Enums.ComponentType.Library, pkg.name, {
      bomRef: pkg.purl,
      version: pkg.version,
      ...(purl ? { purl } : {}),
    });
    component.properties.add(new CDX.Models.Property('shipshape:ecosystem', pkg.ecosystem));
    component.properties.add(new CDX.Models.Property('shipshape:layer', pkg.layer.diffId));
    byPurl.set(pkg.purl, component);
    bom.components.add(component);
  }
  for (const v of report.vulnerabilities ?? []) {
    const target = byPurl.get(v.package.purl);
    const vuln = new CDX.Models.Vulnerability.Vulnerability({
      id: v.id,
      description: v.summary,
      detail: v.details,
      ...(v.fixedVersions.length ? { recommendation: `Upgrade ${v.package.name} to ${v.fixedVersions[0]}` } : {}),
      ...(v.published ? { published: new Date(v.published) } : {}),
      ...(v.modified ? { updated: new Date(v.modified) } : {}),
    });
    vuln.ratings.add(
      new CDX.Models.Vulnerability.Rating({
        severity: SEVERITY[v.severity],
        ...(v.cvss.score !== null ? { score: v.cvss.score } : {}),
        ...(v.cvss.vector ? { vector: v.cvss.vector } : {}),
      }),
    );
    if (target) vuln.affects.add(new CDX.Models.Vulnerability.Affect(target.bomRef));
    bom.vulnerabilities.add(vuln);
  }
  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot5));
  return serializer.serialize(bom, { sortLists: true, space: 2 });
}
