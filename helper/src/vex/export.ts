/**
 * Ignores → one OpenVEX v0.2.0 document (statement per ignore). Reasons become VEX statuses:
 *   not_affected   → not_affected with its justification (the note as impact_statement)
 *   false_positive → not_affected with an impact_statement saying so (no justification is guessed)
 *   accepted       → affected with an action_statement: the risk is known and accepted
 * VEX has no field for an expiry or for who decided, so `status_notes` carries the ignore as
 * `Shipshape ignore {json}`: other tools show it as text, Shipshape reads it back exactly.
 */
import { createHash } from 'node:crypto';
import { OPENVEX_CONTEXT, type IgnoreRule, type VexDocument, type VexProduct, type VexStatement, type VexSubcomponent } from '@shipshape/shared';
import { MALWARE_IRI, SECRET_IRI, imagePurl, locationIri } from './products.ts';
import { NOTES_PREFIX, type IgnoreNotes } from './notes.ts';

export interface ExportOptions {
  author: string;
  tooling: string;
  now: Date;
}

function vulnerabilityOf(rule: IgnoreRule): VexStatement['vulnerability'] {
  const t = rule.target;
  if (t.kind === 'vulnerability') return { name: t.id };
  if (t.kind === 'secret') return { '@id': `${SECRET_IRI}${encodeURIComponent(t.ruleId)}`, name: t.ruleId, description: 'a secret found by this rule' };
  return { '@id': `${MALWARE_IRI}${encodeURIComponent(t.signature)}`, name: t.signature, description: 'a virus or trojan found by this signature' };
}

function subcomponentOf(rule: IgnoreRule): VexSubcomponent | null {
  const t = rule.target;
  if (t.kind === 'vulnerability') return t.package ? { '@id': t.package, identifiers: { purl: t.package } } : null;
  return t.path ? { '@id': locationIri(t.path) } : null;
}

/** The image as product (its part as subcomponent); for all images, the part itself, or no product at all. */
function productsOf(rule: IgnoreRule): VexProduct[] | undefined {
  const part = subcomponentOf(rule);
  if (rule.image) {
    const id = imagePurl(rule.image, rule.imageName);
    return [{ '@id': id, identifiers: { purl: id }, hashes: { 'sha-256': rule.image.slice('sha256:'.length) }, ...(part ? { subcomponents: [part] } : {}) }];
  }
  return part ? [part] : undefined;
}

function statusOf(rule: IgnoreRule): Pick<VexStatement, 'status' | 'justification' | 'impact_statement' | 'action_statement' | 'action_statement_timestamp'> {
  switch (rule.reason) {
    case 'not_affected':
      return {
        status: 'not_affected',
        ...(rule.justification ? { justification: rule.justification } : {}),
        // The schema wants a justification or an impact statement.
        ...(rule.note || !rule.justification ? { impact_statement: rule.note || 'Not affected (no justification given).' } : {}),
      };
    case 'false_positive':
      return { status: 'not_affected', impact_statement: `False positive: the finding does not apply${rule.note ? `. ${rule.note}` : '.'}` };
    case 'accepted':
      return {
        status: 'affected',
        action_statement: `Risk accepted${rule.expiresAt ? ` until ${rule.expiresAt}` : ''}${rule.note ? `: ${rule.note}` : '.'}`,
        action_statement_timestamp: rule.createdAt,
      };
  }
}

export function statementOf(rule: IgnoreRule): VexStatement {
  const notes: IgnoreNotes = { reason: rule.reason, setBy: rule.setBy, expiresAt: rule.expiresAt, note: rule.note };
  const products = productsOf(rule);
  return {
    vulnerability: vulnerabilityOf(rule),
    timestamp: rule.createdAt,
    ...(products ? { products } : {}),
    ...statusOf(rule),
    status_notes: `${NOTES_PREFIX}${JSON.stringify(notes)}`,
  };
}

/** The document; its `@id` is derived from its statements, so the same ignores give the same ID. */
export function toOpenVex(rules: readonly IgnoreRule[], options: ExportOptions): VexDocument {
  if (rules.length === 0) throw new Error('there are no ignores in force to export');
  const statements = rules.map(statementOf);
  const digest = createHash('sha256').update(JSON.stringify(statements)).digest('hex');
  return {
    '@context': OPENVEX_CONTEXT,
    '@id': `https://openvex.dev/docs/public/shipshape-${digest}`,
    author: options.author,
    timestamp: options.now.toISOString(),
    version: 1,
    tooling: options.tooling,
    statements,
  };
}
