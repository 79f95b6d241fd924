/**
 * An OpenVEX document → ignores. A statement becomes one ignore per (product × subcomponent):
 *   not_affected → not_affected (or Shipshape's false_positive); fixed → false_positive (the
 *   product has the fix, so the finding is wrong); affected → only a Shipshape "accepted"
 *   statement; under_investigation → nothing (the finding stands).
 * Products name an image (pkg:oci by digest, pkg:docker by tag, a sha-256 hash), a package
 * (any other purl: every image) or a file; no product at all means every image.
 */
import { IgnoreRule, type IgnoreReason, type IgnoreSetter, type IgnoreTarget, type VexDocument, type VexImportResult, type VexStatement } from '@shipshape/shared';
import type { NewIgnore } from '../ignores/service.ts';
import { MALWARE_IRI, SECRET_IRI, nameOf, type NamedThing } from './products.ts';
import { readNotes } from './notes.ts';

export interface ImportContext {
  /** Image IDs carrying a tag (`repo:tag`), for pkg:docker products; none when unknown here. */
  imagesTagged(reference: string): string[];
  /** Who imports, for statements that do not say who set them. */
  setBy: IgnoreSetter;
  now: Date;
}

export interface ImportOutcome {
  ignores: NewIgnore[];
  skipped: VexImportResult['skipped'];
}

type Kind = IgnoreTarget['kind'];
const NewIgnoreShape = IgnoreRule.omit({ id: true });

function kindOf(statement: VexStatement): { kind: Kind; name: string } {
  const iri = statement.vulnerability['@id'] ?? '';
  if (iri.startsWith(SECRET_IRI)) return { kind: 'secret', name: statement.vulnerability.name };
  if (iri.startsWith(MALWARE_IRI)) return { kind: 'malware', name: statement.vulnerability.name };
  return { kind: 'vulnerability', name: statement.vulnerability.name };
}

function targetOf(kind: Kind, name: string, part: NamedThing | null): IgnoreTarget | string {
  if (kind === 'vulnerability') {
    if (part && part.kind !== 'package') return `a vulnerability is ignored per package (a purl), not per ${part.kind}`;
    return { kind, id: name, package: part?.kind === 'package' ? part.purl : null };
  }
  if (part && part.kind !== 'location') return `a ${kind === 'secret' ? 'secret' : 'malware finding'} is ignored at a path (file:///…), not per ${part.kind}`;
  const path = part?.kind === 'location' ? part.path : null;
  return kind === 'secret' ? { kind, ruleId: name, path } : { kind, signature: name, path };
}

function reasonOf(statement: VexStatement, noted: IgnoreReason | undefined): IgnoreReason | string {
  switch (statement.status) {
    case 'not_affected':
      return noted === 'false_positive' ? 'false_positive' : 'not_affected';
    case 'fixed':
      return 'false_positive';
    case 'affected':
      return noted === 'accepted' ? 'accepted' : 'affected: the finding stands';
    case 'under_investigation':
      return 'under investigation: the finding stands until a decision';
  }
}

export function fromOpenVex(document: VexDocument, context: ImportContext): ImportOutcome {
  const ignores: NewIgnore[] = [];
  const skipped: ImportOutcome['skipped'] = [];
  document.statements.forEach((statement, index) => {
    const skip = (reason: string) => skipped.push({ statement: index, vulnerability: statement.vulnerability.name, reason });
    const notes = readNotes(statement.status_notes);
    const reason = reasonOf(statement, notes?.reason);
    if (!['not_affected', 'false_positive', 'accepted'].includes(reason)) return skip(reason);
    const { kind, name } = kindOf(statement);
    const createdAt = statement.timestamp ?? statement.last_updated ?? document.timestamp;
    const common = {
      reason: reason as IgnoreReason,
      justification: statement.status === 'not_affected' ? (statement.justification ?? null) : null,
      note: (notes?.note ?? statement.impact_statement ?? statement.action_statement ?? statement.status_notes ?? '').slice(0, 2000),
      expiresAt: notes?.expiresAt ?? null,
      setBy: notes?.setBy ?? context.setBy,
      createdAt: Number.isNaN(Date.parse(createdAt)) ? context.now.toISOString() : new Date(createdAt).toISOString(),
    };
    const add = (images: Array<{ id: string | null; name: string | null }>, part: NamedThing | null) => {
      const target = targetOf(kind, name, part);
      if (typeof target === 'string') return skip(target);
      for (const image of images) {
        const checked = NewIgnoreShape.safeParse({ ...common, target, image: image.id, imageName: image.name });
        if (checked.success) ignores.push(checked.data);
        else skip(`not a valid ignore: ${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message}`);
      }
    };
    const products = statement.products ?? [];
    if (products.length === 0) return add([{ id: null, name: null }], null);
    for (const product of products) {
      const named = nameOf(product);
      let images: Array<{ id: string | null; name: string | null }>;
      let part: NamedThing | null = null;
      if (named.kind === 'image') images = [{ id: named.digest, name: named.imageName }];
      else if (named.kind === 'image-tag') {
        images = context.imagesTagged(named.reference).map((id) => ({ id, name: named.reference }));
        if (images.length === 0) {
          skip(`no image tagged ${named.reference} here`);
          continue;
        }
      } else if (named.kind === 'package' || named.kind === 'location') {
        images = [{ id: null, name: null }];
        part = named;
      } else {
        skip(`product ${named.text.slice(0, 200)} names no image, package or file Shipshape knows how to match`);
        continue;
      }
      const subs = product.subcomponents ?? [];
      if (subs.length === 0 || part) add(images, part);
      else for (const sub of subs) add(images, nameOf(sub));
    }
  });
  return { ignores, skipped };
}
