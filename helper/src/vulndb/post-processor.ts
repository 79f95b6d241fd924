/**
 * The scan's vulnerability step: opens the data dir's database once per scan and matches
 * the finished inventory. Without a database the scan still succeeds; the report says
 * vulnerabilities were not checked, and how to get the data.
 */
import { resolve } from 'node:path';
import type { ReportPostProcessor } from '@shipshape/analyzers';
import { defaultDataDir } from '../config.ts';
import { matchReport } from './match-report.ts';
import { vulnDbPath } from './schema.ts';
import { openVulnDb } from './store.ts';

export function missingDbMessage(dataDir: string): string {
  return `no vulnerability database at ${vulnDbPath(dataDir)}: vulnerabilities were not checked. Get one with 'pnpm shipshape db update' (or 'db import PATH' offline).`;
}

/** `warn` receives the message shown when there is no database (the CLI prints it on stderr). */
export function vulnerabilityPostProcessor(dataDir: string, warn: (message: string) => void = () => {}): ReportPostProcessor {
  return (report) => {
    const db = openVulnDb(dataDir);
    if (!db) {
      const message = missingDbMessage(dataDir);
      warn(message);
      return { ...report, notes: [...report.notes, message] };
    }
    try {
      return matchReport(report, db);
    } finally {
      db.close();
    }
  };
}

/**
 * The `shipshape scan` step: matches when packages/vulnerabilities are requested, using
 * the data dir of SHIPSHAPE_DATA_DIR (else the default one, as `serve` and `db` do).
 */
export async function scanVulnerabilityStep(ctx: { requested: Set<string> }): Promise<ReportPostProcessor | null> {
  if (!ctx.requested.has('vulnerabilities') && !ctx.requested.has('packages')) return null;
  const dataDir = resolve(process.env.SHIPSHAPE_DATA_DIR?.trim() || defaultDataDir(process.env));
  return vulnerabilityPostProcessor(dataDir, (message) => process.stderr.write(`shipshape scan: ${message}\n`));
}
