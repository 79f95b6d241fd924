/**
 * The scan's vulnerability step: opens the data dir's database once per scan and matches
 * the finished inventory. Without a database the scan still succeeds; the report says
 * vulnerabilities were not checked (`notChecked`, and a note), and how to get the data.
 */
import type { ReportPostProcessor } from '@shipshape/analyzers';
import { coverageGap } from './coverage.ts';
import { matchReport } from './match-report.ts';
import { vulnDbPath } from './schema.ts';
import { openVulnDb } from './store.ts';

export function missingDbMessage(dataDir: string): string {
  return `no vulnerability database at ${vulnDbPath(dataDir)}: vulnerabilities were not checked. Get one with 'shipshape db update' (or 'db import PATH' offline).`;
}

/** `warn` receives the message shown when there is no database (the CLI prints it on stderr). */
export function vulnerabilityPostProcessor(dataDir: string, warn: (message: string) => void = () => {}): ReportPostProcessor {
  return (report) => {
    const db = openVulnDb(dataDir);
    if (!db) {
      const message = missingDbMessage(dataDir);
      warn(message);
      const notChecked = [...(report.notChecked ?? []), { category: 'vulnerabilities' as const, reason: `no vulnerability data: run 'shipshape db update' (or 'db import PATH' offline)` }];
      return { ...report, notes: [...report.notes, message], notChecked };
    }
    try {
      const matched = matchReport(report, db);
      const uncovered = coverageGap(report.packages, db.coveredEcosystems());
      if (!uncovered) return matched;
      warn(`vulnerabilities: ${uncovered}`);
      return { ...matched, notChecked: [...(matched.notChecked ?? []), { category: 'vulnerabilities' as const, reason: uncovered }] };
    } finally {
      db.close();
    }
  };
}

/** The `shipshape scan` step: matches against the data dir's database when packages/vulnerabilities are requested. */
export async function scanVulnerabilityStep(ctx: { requested: Set<string>; dataDir: string }): Promise<ReportPostProcessor | null> {
  if (!ctx.requested.has('vulnerabilities') && !ctx.requested.has('packages')) return null;
  return vulnerabilityPostProcessor(ctx.dataDir, (message) => process.stderr.write(`shipshape scan: ${message}\n`));
}
