/**
 * `:id` of /api/images/:id/... → the image record. Full ID (with or without `sha256:`) or a
 * unique prefix (≥ 4 hex); an unknown ID is 404, an ambiguous prefix 409 naming the matches.
 */
import { ImageIdParam } from '@shipshape/shared';
import type { Context } from 'hono';
import type { ImageRecord } from '../state/schema.ts';
import { HttpError } from './errors.ts';
import { validParam } from './validate.ts';

export function findImage(records: Iterable<ImageRecord>, idOrPrefix: string): ImageRecord {
  const hex = idOrPrefix.replace(/^sha256:/, '');
  const matches: ImageRecord[] = [];
  for (const record of records) {
    if (record.inventory.id.replace(/^sha256:/, '').startsWith(hex)) matches.push(record);
  }
  if (matches.length === 0) throw new HttpError(404, 'not_found', `no image with ID ${idOrPrefix}`, 'id');
  if (matches.length > 1) {
    const examples = matches.slice(0, 5).map((r) => r.inventory.id.replace(/^sha256:/, '').slice(0, 12));
    throw new HttpError(409, 'conflict', `ID prefix ${idOrPrefix} is ambiguous: matches ${matches.length} images (${examples.join(', ')}…)`, 'id');
  }
  return matches[0]!;
}

/** Validates the `:id` path parameter and resolves it. */
export function resolveImageParam(c: Context, records: Iterable<ImageRecord>): ImageRecord {
  return findImage(records, validParam(c, 'id', ImageIdParam));
}
