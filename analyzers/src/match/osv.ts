/**
 * The parts of the OSV schema (https://ossf.github.io/osv-schema/) the matcher reads.
 * Records are stored whole; these types only name what matching, severity and the
 * report need. Validation of untrusted input happens at import time (helper/src/vulndb).
 */
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER' | 'GIT' | (string & {});
  events: OsvEvent[];
  repo?: string;
}

export interface OsvSeverity {
  type: 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4' | 'Ubuntu' | (string & {});
  score: string;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  severity?: OsvSeverity[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvRecord {
  id: string;
  modified?: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  related?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: { type?: string; url: string }[];
  database_specific?: Record<string, unknown>;
  schema_version?: string;
}

/** A package as the matcher sees it: OSV ecosystem (with release for distros), name, version. */
export interface PackageQuery {
  ecosystem: string;
  name: string;
  version: string;
}

/** Malicious-package reports (OpenSSF) are published as OSV records with this prefix. */
export function isMaliciousRecord(record: OsvRecord): boolean {
  return record.id.startsWith('MAL-');
}
