/** package.json `license` in its current (string) and legacy (object, array) forms. */
import { isRecord } from '../file-analyzer.ts';

export function npmLicenses(manifest: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.trim()) out.push(value.trim());
    else if (isRecord(value) && typeof value.type === 'string' && value.type.trim()) out.push(value.type.trim());
  };
  add(manifest.license);
  if (Array.isArray(manifest.licenses)) manifest.licenses.forEach(add);
  else add(manifest.licenses);
  return out;
}
