/**
 * The one seam to the version-order module: every range decision goes through
 * `compareVersions(ecosystem, a, b)` (negative, 0, positive).
 */
export { compareVersions } from '../versions/index.ts';
