export { isAffected, affectingEntries, affectedDigest, digestMayAffect, type AffectedDigest } from './affected.ts';
export { matchPackages, matchPackagesAsync, hitsFor, packageFindings, sortVulnerabilities, queryFor, type AdvisoryLookup, type FindingsOf, type Hit, type MatchResult, type PackageFindings } from './match-packages.ts';
export { severityOf, levelFromScore } from './severity.ts';
export { cvssBaseScore } from './cvss.ts';
export { suggestFix, fixCommand } from './fix.ts';
export { baseEcosystem, canonicalEcosystem, isDistroEcosystem, normalizePackageName } from './ecosystem.ts';
export { isMaliciousRecord, type OsvRecord, type OsvAffected, type OsvRange, type OsvEvent, type PackageQuery } from './osv.ts';
export { enrichVulnerability, cveIdsOf, isCveId, type CveFacts, type FindingFacts, type NvdSeverity } from './cve-facts.ts';
export type { SeverityResult } from './severity.ts';
