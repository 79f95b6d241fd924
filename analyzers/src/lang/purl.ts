/**
 * Package URLs for the language ecosystems, on top of the shared `purl()`: the per-type
 * rules of the purl spec that matter for matching (PyPI names, npm scopes, Go module paths).
 */

import { purl } from '../purl.ts';

/** Split `@scope/name` (npm, and `vendor/name` for Composer) into namespace and name. */
export function splitScoped(fullName: string): { namespace?: string; name: string } {
  const slash = fullName.lastIndexOf('/');
  if (slash < 0) return { name: fullName };
  return { namespace: fullName.slice(0, slash), name: fullName.slice(slash + 1) };
}

export const npmPurl = (name: string, version: string) => purl({ type: 'npm', ...splitScoped(name), version });

/** PEP 503 normalised project name: lowercase, runs of `-_.` become one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export const pypiPurl = (name: string, version: string) => purl({ type: 'pypi', name: normalizePypiName(name), version });

/** Go module path `github.com/a/b` → namespace `github.com/a`, name `b`. */
export const golangPurl = (modulePath: string, version: string | undefined) =>
  purl({ type: 'golang', ...splitScoped(modulePath), version });

export const mavenPurl = (groupId: string, artifactId: string, version: string) =>
  purl({ type: 'maven', namespace: groupId || undefined, name: artifactId, version });

export const gemPurl = (name: string, version: string, platform?: string) =>
  purl({ type: 'gem', name, version, qualifiers: { platform: platform && platform !== 'ruby' ? platform : undefined } });

export const cargoPurl = (name: string, version: string) => purl({ type: 'cargo', name, version });

export const composerPurl = (name: string, version: string) =>
  purl({ type: 'composer', ...splitScoped(name.toLowerCase()), version });

export const nugetPurl = (name: string, version: string) => purl({ type: 'nuget', name, version });
