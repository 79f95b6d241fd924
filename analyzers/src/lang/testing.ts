/**
 * Test helpers for the language inventories: read the trivy fixtures' expected lists and
 * run an analyzer on a file the way the walker would.
 */
import { readFileSync } from 'node:fs';
import type { Analyzer, AnalyzerContext, Finding } from '../analyzer.ts';

export interface TrivyExpectedPackage {
  ID?: string;
  Name: string;
  Version: string;
  Dev?: boolean;
  Relationship?: string;
  Licenses?: string[];
  FilePath?: string;
}

export interface TrivyExpectedCase {
  name: string;
  file: string;
  packages: TrivyExpectedPackage[] | null;
}

export function readTrivyCases(expectedJsonUrl: URL): TrivyExpectedCase[] {
  return (JSON.parse(readFileSync(expectedJsonUrl, 'utf8')) as { cases: TrivyExpectedCase[] }).cases;
}

/** `name@version`, sorted and de-duplicated: the comparison key of these tests. */
export function nameVersions(packages: Array<{ name: string; version: string }>): string[] {
  return [...new Set(packages.map((p) => `${p.name}@${p.version}`))].sort();
}

export function trivyNameVersions(packages: TrivyExpectedPackage[], keep: (p: TrivyExpectedPackage) => boolean = () => true) {
  return nameVersions(packages.filter(keep).map((p) => ({ name: p.Name, version: p.Version })));
}

export function testContext(notes: string[] = []): AnalyzerContext {
  return { layer: { index: 0, diffId: 'sha256:test', createdBy: null }, note: (message) => notes.push(message) };
}

/** Run one analyzer on one in-memory file, as the walker does (required first). */
export async function runAnalyzer(analyzer: Analyzer, path: string, content: Buffer, mode = 0o644, notes: string[] = []): Promise<Finding[]> {
  const meta = { path, size: content.length, mode, kind: 'file' as const };
  if (!analyzer.required(path, meta)) return [];
  return analyzer.analyze({ ...meta, content }, testContext(notes));
}

export function packagesOf(findings: Finding[]) {
  return findings.flatMap((finding) => (finding.kind === 'package' ? [finding.package] : []));
}
