/**
 * Secrets found in the build history also sit in every `createdBy` that repeats that build
 * step (the image's layer list, each finding's layer). They are masked there too, so the
 * report never carries a whole secret.
 */
import type { ScanReport } from '@shipshape/shared';
import { maskSecret } from './mask.ts';

export function redactSecretsInHistory(report: ScanReport, secrets: Iterable<string>): ScanReport {
  const list = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  if (list.length === 0) return report;
  const redact = (text: string | null): string | null => (text === null ? null : list.reduce((t, s) => t.split(s).join(maskSecret(s)), text));
  const layer = <T extends { layer: { diffId: string; createdBy: string | null } | null }>(x: T): T =>
    x.layer ? { ...x, layer: { ...x.layer, createdBy: redact(x.layer.createdBy) } } : x;
  return {
    ...report,
    image: { ...report.image, layers: report.image.layers.map((l) => ({ ...l, createdBy: redact(l.createdBy) })) },
    packages: report.packages.map(layer),
    ...(report.vulnerabilities ? { vulnerabilities: report.vulnerabilities.map(layer) } : {}),
    ...(report.sensitive ? { sensitive: report.sensitive.map(layer) } : {}),
    ...(report.malware ? { malware: report.malware.map(layer) } : {}),
  };
}
