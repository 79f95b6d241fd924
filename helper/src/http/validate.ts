/**
 * zod validation of query, params and bodies: a failure is a 400 naming the first bad field.
 */
import type { Context } from 'hono';
import type { ZodIssue, ZodTypeAny, z } from 'zod';
import { HttpError } from './errors.ts';

/** Largest JSON body any route accepts unless it sets its own limit. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function parseOrThrow<S extends ZodTypeAny>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue ? issueField(issue, where) : where;
  throw new HttpError(400, 'bad_request', `${field}: ${issue?.message ?? 'invalid'}`, field);
}

function issueField(issue: ZodIssue, where: string): string {
  if (issue.code === 'unrecognized_keys') return issue.keys[0] ?? where;
  return issue.path.length ? issue.path.join('.') : where;
}

/** Query string as a plain object; a repeated key is a 400 (no silent last-one-wins). */
export function validQuery<S extends ZodTypeAny>(c: Context, schema: S): z.output<S> {
  const all = c.req.queries();
  const flat: Record<string, string> = {};
  for (const [key, values] of Object.entries(all)) {
    if (values.length > 1) throw new HttpError(400, 'bad_request', `${key}: given more than once`, key);
    flat[key] = values[0] ?? '';
  }
  return parseOrThrow(schema, flat, 'query');
}

export function validParam<S extends ZodTypeAny>(c: Context, name: string, schema: S): z.output<S> {
  return parseOrThrow(schema, c.req.param(name), name);
}

/**
 * JSON body, parsed and validated; the size cap is enforced by the bodyLimit middleware in
 * app.ts. `options.empty`: what an empty body stands for (otherwise an empty body is a 400).
 */
export async function validJson<S extends ZodTypeAny>(c: Context, schema: S, options: { empty?: unknown } = {}): Promise<z.output<S>> {
  const text = await c.req.text();
  let body: unknown;
  if (!text.trim() && 'empty' in options) body = options.empty;
  else {
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'bad_request', 'body: must be valid JSON', 'body');
    }
  }
  return parseOrThrow(schema, body, 'body');
}
