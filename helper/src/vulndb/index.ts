/** The vulnerability database: local SQLite of OSV records, its importers and updater. */
export { openVulnDb, vulnDbStatus, VulnDb, VulnDbMissingError, type VulnDbStatus, type VulnDbSourceStatus } from './store.ts';
export { importPath, type ImportResult } from './import-path.ts';
export { updateVulnDb, ecosystemsToFetch, archiveUrl, DEFAULT_OSV_BASE_URL, DEFAULT_ECOSYSTEMS, type UpdateOptions, type UpdateResult, type UpdateProgress } from './update.ts';
export { matchReport, reportMatcher, unratedNote } from './match-report.ts';
export { vulnDbPath, vulnDbDir } from './schema.ts';
export { VulnDbBusyError } from './lock.ts';
export { DownloadError } from './download.ts';
export { CorruptArchiveError } from './sources/osv-files.ts';
export { vulnerabilityPostProcessor, missingDbMessage, scanVulnerabilityStep } from './post-processor.ts';
export { updateCveData, cveDataOptionsFromEnv, DEFAULT_NVD_FEED_URL, DEFAULT_KEV_URL, DEFAULT_EPSS_URL, type CveDataUpdateOptions, type CveDataUpdateResult } from './cve-data/update.ts';
export { cveDataKindOf } from './cve-data/sources.ts';
