/**
 * What an ignore has that VEX has no field for (its reason as Shipshape says it, who set it,
 * when it expires, the note), carried in a statement's `status_notes` as
 * `Shipshape ignore {"reason":…,"setBy":…,"expiresAt":…,"note":…}`.
 */
import { z } from 'zod';
import { ExpiryDate, IgnoreReason, IgnoreSetter } from '@shipshape/shared';

export const NOTES_PREFIX = 'Shipshape ignore ';

export const IgnoreNotes = z.object({
  reason: IgnoreReason,
  setBy: IgnoreSetter,
  expiresAt: ExpiryDate.nullable(),
  note: z.string().max(2000),
});
export type IgnoreNotes = z.infer<typeof IgnoreNotes>;

/** The notes a Shipshape export left, or null (another tool's document, or text a person edited). */
export function readNotes(statusNotes: string | undefined): IgnoreNotes | null {
  if (!statusNotes?.startsWith(NOTES_PREFIX)) return null;
  try {
    const parsed = IgnoreNotes.safeParse(JSON.parse(statusNotes.slice(NOTES_PREFIX.length)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
