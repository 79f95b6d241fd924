/** Rows have fixed heights, so the rows in view are known without measuring any. */
/** A compact row (side-panel widths): two lines. */
export const COMPACT_ROW_HEIGHT = 56;
/** A table row (wide pages): one line. */
export const TABLE_ROW_HEIGHT = 34;

/**
 * How many rows the first request should ask for on a page this tall: enough to fill it with
 * the shortest rows (and one more), no more, so the first answer is small to send, check and
 * draw. Never fewer than 10, never more than `max`.
 */
export function rowsToFill(viewportHeight: number, max: number): number {
  return Math.min(max, Math.max(10, Math.ceil(viewportHeight / TABLE_ROW_HEIGHT) + 1));
}
