/**
 * A scan report as an SPDX 2.3 JSON document, written to the specification
 * (https://spdx.github.io/spdx-spec/v2.3/): no npm library writes SPDX documents and is kept
 * up. The image is the described package; each package is CONTAINED_BY it, with its purl as a
 * PACKAGE-MANAGER external reference and, for vulnerabilities, SECURITY advisories.
 */
import { createHash } from 'node:crypto';
import type { ScanReport } from '@shipshape/shared';
import { notCheckedOf, notCheckedText } from './not-checked.ts';

/** SPDX IDs allow letters, digits, `.` and `-` only. */
const spdxId = (prefix: string, key: string) => `SPDXRef-${prefix}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;

export function toSpdx(report: ScanReport, version: string, now = new Date()): string {
  const imageName = report.image.tags[0] ?? report.image.id;
  const imageRef = spdxId('Image', report.image.id);
  const vulnsByPurl = new Map<string, string[]>();
  for (const v of report.vulnerabilities ?? []) vulnsByPurl.set(v.package.purl, [...(vulnsByPurl.get(v.package.purl) ?? []), v.id]);
  const seen = new Set<string>();
  const packages = report.packages
    .filter((p) => (seen.has(p.purl) ? false : (seen.add(p.purl), true)))
    .map((p) => ({
      SPDXID: spdxId('Package', p.purl),
      name: p.name,
      versionInfo: p.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      ...(p.sourceName && p.sourceName !== p.name ? { sourceInfo: `built from ${p.sourceName} ${p.sourceVersion ?? ''}`.trim() } : {}),
      externalRefs: [
        { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl },
        ...(vulnsByPurl.get(p.purl) ?? []).map((id) => ({
          referenceCategory: 'SECURITY',
          referenceType: 'advisory',
          referenceLocator: `https://osv.dev/vulnerability/${encodeURIComponent(id)}`,
        })),
      ],
    }));
  const doc = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: imageName,
    documentNamespace: `https://shipshape.invalid/spdx/${encodeURIComponent(report.image.id)}/${now.getTime()}`,
    creationInfo: { created: now.toISOString().replace(/\.\d{3}Z$/, 'Z'), creators: [`Tool: shipshape-${version}`] },
    // What the scan could not check: the security references below are then incomplete.
    ...(notCheckedOf(report).length ? { comment: `Incomplete scan: ${notCheckedOf(report).map(notCheckedText).join('; ')}` } : {}),
    documentDescribes: [imageRef],
    packages: [
      {
        SPDXID: imageRef,
        name: imageName,
        versionInfo: report.image.id,
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        primaryPackagePurpose: 'CONTAINER',
        licenseConcluded: 'NOASSERTION',
        licenseDeclared: 'NOASSERTION',
        copyrightText: 'NOASSERTION',
      },
      ...packages,
    ],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: imageRef },
      ...packages.map((p) => ({ spdxElementId: p.SPDXID, relationshipType: 'CONTAINED_BY', relatedSpdxElement: imageRef })),
    ],
  };
  return JSON.stringify(doc, null, 2);
}
