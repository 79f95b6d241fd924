/**
 * Package URLs (https://github.com/package-url/purl-spec) for the language ecosystems.
 * Kept local to lang/ until the shared `analyzers/src/purl.ts` lands; the rules below are
 * the spec's per-type normalisations that matter for matching (PyPI names, npm scopes).
 */

/** Percent-encode one purl component; `:` is allowed unencoded by the spec. */
function encodeComponent(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':');
}

export interface PurlParts {
  type: string;
  namespace?: string | undefined;
  name: string;
  version?: string | undefined;
  qualifiers?: Record<string, string | undefined> | undefined;
}

export function purl({ type, namespace, name, version, qualifiers }: PurlParts): string {
  let out = `pkg:${type}/`;
  if (namespace) out += namespace.split('/').filter(Boolean).map(encodeComponent).join('/') + '/';
  out += encodeComponent(name);
  if (version) out += '@' + encodeComponent(version);
  const pairs = Object.entries(qualifiers ?? {})
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key.toLowerCase()}=${encodeComponent(value)}`);
  if (pairs.length > 0) out += '?' + pairs.join('&');
  return out;
}

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
