import { z } from 'zod';

/** The risk categories a scan can check. Its own module: images, reports and scans all need it. */
export const riskCategories = ['vulnerabilities', 'sensitive', 'malware'] as const;
export const RiskCategory = z.enum(riskCategories);
export type RiskCategory = z.infer<typeof RiskCategory>;

/**
 * A category a scan asked for but could not evaluate (no vulnerability data, a clamd that did
 * not answer, an analyzer that failed). Any such entry keeps an image from being `safe`: with
 * no finding it is `incomplete`, and says why.
 */
export const NotChecked = z.object({
  category: RiskCategory,
  /** What went wrong and what to do about it, e.g. "no vulnerability data: run a data update". */
  reason: z.string(),
});
export type NotChecked = z.infer<typeof NotChecked>;
