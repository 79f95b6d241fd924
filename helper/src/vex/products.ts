/**
 * How Shipshape names things in OpenVEX `products` and `subcomponents`:
 *   an image .......... pkg:oci/<name>@sha256:<image ID>?repository_url=<repo>&tag=<tag> (purl `oci` type),
 *                       with `hashes: { "sha-256": <image ID hex> }`; pkg:docker/<repo>@<tag> is read too
 *   a package ......... its purl, as the scan reports it
 *   a file in an image  file:///<path>; a non-file location (config:Env, history:3) urn:shipshape:location:<path>
 * and in `vulnerability`: a secret rule or malware signature has `@id`
 * urn:shipshape:secret:<rule> / urn:shipshape:malware:<signature> (its `name` is the rule or signature).
 */
import { PackageURL } from 'packageurl-js';

export const SECRET_IRI = 'urn:shipshape:secret:';
export const MALWARE_IRI = 'urn:shipshape:malware:';
const LOCATION_IRI = 'urn:shipshape:location:';

/** `repo/name:tag` → its parts (a digest reference keeps no tag). */
function splitReference(reference: string): { repository: string; tag: string | null } {
  const at = reference.indexOf('@');
  const bare = at >= 0 ? reference.slice(0, at) : reference;
  const colon = bare.lastIndexOf(':');
  if (colon > bare.lastIndexOf('/')) return { repository: bare.slice(0, colon), tag: bare.slice(colon + 1) };
  return { repository: bare, tag: null };
}

export function imagePurl(imageId: string, imageName: string | null): string {
  if (!imageName) return new PackageURL('oci', undefined, 'image', imageId, undefined, undefined).toString();
  const { repository, tag } = splitReference(imageName);
  const name = repository.slice(repository.lastIndexOf('/') + 1).toLowerCase() || 'image';
  return new PackageURL('oci', undefined, name, imageId, { repository_url: repository, ...(tag ? { tag } : {}) }, undefined).toString();
}

export function locationIri(path: string): string {
  return path.startsWith('/') ? `file://${encodeURI(path)}` : `${LOCATION_IRI}${encodeURIComponent(path)}`;
}

export function parseLocationIri(iri: string): string | null {
  try {
    if (iri.startsWith('file://')) return decodeURI(iri.slice('file://'.length));
    if (iri.startsWith(LOCATION_IRI)) return decodeURIComponent(iri.slice(LOCATION_IRI.length));
  } catch {
    return null;
  }
  return null;
}

export type NamedThing =
  | { kind: 'image'; digest: string; imageName: string | null }
  | { kind: 'image-tag'; reference: string }
  | { kind: 'package'; purl: string }
  | { kind: 'location'; path: string }
  | { kind: 'unknown'; text: string };

/** What a product or subcomponent names, from its `@id`, `identifiers.purl` or `hashes["sha-256"]`. */
export function nameOf(component: { '@id'?: string | undefined; identifiers?: { purl?: string | undefined } | undefined; hashes?: Record<string, string> | undefined }): NamedThing {
  const text = component['@id'] ?? component.identifiers?.purl;
  const sha = component.hashes?.['sha-256'];
  if (text?.startsWith('pkg:')) {
    let purl: PackageURL | null = null;
    try {
      purl = PackageURL.fromString(text);
    } catch {
      return { kind: 'unknown', text };
    }
    if (purl.type === 'oci') {
      const digest = purl.version ?? (sha ? `sha256:${sha}` : null);
      if (!digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) return { kind: 'unknown', text };
      const repository = purl.qualifiers?.repository_url ?? purl.name;
      const tag = purl.qualifiers?.tag;
      return { kind: 'image', digest, imageName: purl.name === 'image' && !purl.qualifiers?.repository_url ? null : tag ? `${repository}:${tag}` : repository };
    }
    if (purl.type === 'docker') {
      const repository = [purl.namespace === 'library' ? undefined : purl.namespace, purl.name].filter(Boolean).join('/');
      if (purl.version?.startsWith('sha256:')) return { kind: 'image', digest: purl.version, imageName: repository };
      return { kind: 'image-tag', reference: `${repository}:${purl.version ?? 'latest'}` };
    }
    return { kind: 'package', purl: text };
  }
  if (text) {
    const path = parseLocationIri(text);
    return path ? { kind: 'location', path } : { kind: 'unknown', text };
  }
  if (sha && /^[0-9a-f]{64}$/.test(sha)) return { kind: 'image', digest: `sha256:${sha}`, imageName: null };
  return { kind: 'unknown', text: JSON.stringify(component) };
}
