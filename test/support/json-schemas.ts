/**
 * The formats' own JSON schemas (test/fixtures/schemas, see SOURCE.md) as validators, with
 * ajv: SARIF 2.1.0 is draft-04, OpenVEX v0.2.0 is draft 2020-12. Formats (uri, iri,
 * date-time) are checked too. Each returns the errors, an empty list when valid.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { ErrorObject, ValidateFunction } from 'ajv';

const schemas = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'schemas');
/** RFC 3987: an IRI is a URI that may also hold non-ASCII characters (ajv-formats has no `iri`). */
const uri = fullFormats.uri as (text: string) => boolean;
const isIri = (text: string) => uri(text.replace(/[^\u0000-\u007f]/gu, (c) => encodeURIComponent(c)));

const load = (name: string) => JSON.parse(readFileSync(join(schemas, name), 'utf8')) as object;

function compile(ajv: { compile(schema: object): ValidateFunction }, schema: object): (document: unknown) => string[] {
  const validate = ajv.compile(schema);
  return (document) => (validate(document) ? [] : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
}

let sarif: ((document: unknown) => string[]) | null = null;
let openvex: ((document: unknown) => string[]) | null = null;

export function sarifErrors(document: unknown): string[] {
  if (!sarif) {
    const ajv = new AjvDraft04({ allErrors: true, strict: false });
    addFormats(ajv);
    sarif = compile(ajv, load('sarif-schema-2.1.0.json'));
  }
  return sarif(document);
}

export function openVexErrors(document: unknown): string[] {
  if (!openvex) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.addFormat('iri', isIri);
    openvex = compile(ajv, load('openvex_json_schema.json'));
  }
  return openvex(document);
}
