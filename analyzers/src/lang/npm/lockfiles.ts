/**
 * npm-ecosystem lockfiles in application folders (outside node_modules): package-lock.json,
 * npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml. They describe what the application
 * installs even when node_modules was not copied into the image.
 */
import { baseName, langFileAnalyzer } from '../file-analyzer.ts';
import type { LangPackage } from '../finding.ts';
import { parsePackageLock } from './package-lock.ts';
import { parsePnpmLock } from './pnpm-lock.ts';
import { parseYarnLock } from './yarn-lock.ts';

const PARSERS: Record<string, (content: Buffer) => LangPackage[]> = {
  'package-lock.json': parsePackageLock,
  'npm-shrinkwrap.json': parsePackageLock,
  'yarn.lock': parseYarnLock,
  'pnpm-lock.yaml': parsePnpmLock,
};

export function isNpmLockfile(path: string): boolean {
  // node_modules/.package-lock.json and lockfiles shipped inside packages are not the app's.
  return Object.hasOwn(PARSERS, baseName(path)) && !path.includes('/node_modules/');
}

export const npmLockfileAnalyzer = langFileAnalyzer({
  name: 'lang/npm-lockfile',
  version: 1,
  ecosystem: 'npm',
  maxFileSize: 64 * 1024 * 1024,
  matches: isNpmLockfile,
  parse: (content, path) => PARSERS[baseName(path)]!(content),
});
