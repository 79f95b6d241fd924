/**
 * Secrets found in the build history also sit in every `createdBy` that repeats that build
 * step (the image's layer list, each finding's layer). They are masked there too, so the
 * report never carries a whole secret.
 */
import type { ScanReport } from '@shipshape/shared';
import { maskSecret, type SecretMask } from './mask.ts';

/** Masks every occurrence of the secrets in a text (longest first; very short values are left alone). */
export function maskAll(text: string | null, secrets: Iterable<string>, mask: SecretMask = maskSecret): string | null {
  if (text === null) return null;
  const list = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return list.reduce((t, s) => t.split(s).join(mask(s)), text);
}

export function redactSecretsInHistory(report: ScanReport, secrets: Iterable<string>, mask: SecretMask = maskSecret): ScanReport {
  const list = [...secrets];
  if (list.length === 0) return report;
  const redact = (text: string | null): string | null => maskAll(text, list, mask);
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
