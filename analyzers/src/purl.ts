/**
 * Package URLs (https://github.com/package-url/purl-spec): building and parsing.
 * Components are percent-encoded except `:`, which the spec allows as is (deb epochs).
 */

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
  let out = `pkg:${type.toLowerCase()}/`;
  if (namespace) out += `${namespace.split('/').filter(Boolean).map(encodeComponent).join('/')}/`;
  out += encodeComponent(name);
  if (version) out += `@${encodeComponent(version)}`;
  const pairs = Object.entries(qualifiers ?? {})
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]): [string, string] => [key.toLowerCase(), value])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${encodeComponent(value)}`);
  if (pairs.length > 0) out += `?${pairs.join('&')}`;
  return out;
}

/** The inverse of `purl()`; `null` for strings that are not package URLs. */
export function parsePurl(text: string): PurlParts | null {
  const match = /^pkg:([a-zA-Z][a-zA-Z0-9.+-]*)\/([^?#]+?)(?:\?([^#]*))?(?:#.*)?$/.exec(text);
  if (!match) return null;
  const [, type, path, query] = match as unknown as [string, string, string, string | undefined];
  let rest = path;
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > 0) {
    version = decodeURIComponent(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const segments = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const name = segments.pop();
  if (!name) return null;
  const qualifiers: Record<string, string> = {};
  for (const pair of query ? query.split('&') : []) {
    const eq = pair.indexOf('=');
    if (eq > 0) qualifiers[pair.slice(0, eq).toLowerCase()] = decodeURIComponent(pair.slice(eq + 1));
  }
  return {
    type: type.toLowerCase(),
    ...(segments.length ? { namespace: segments.join('/') } : {}),
    name,
    ...(version !== undefined ? { version } : {}),
    ...(Object.keys(qualifiers).length ? { qualifiers } : {}),
  };
}
