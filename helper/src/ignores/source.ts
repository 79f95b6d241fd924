/** What the recorder needs of the ignores: every rule, and the time that decides which have expired. */
import type { IgnoreRule } from '@shipshape/shared';

export interface IgnoreSource {
  rules(): readonly IgnoreRule[];
  now(): Date;
}

/** For hosts without ignores (unit tests of the scan side). */
export const noIgnores: IgnoreSource = { rules: () => [], now: () => new Date() };
