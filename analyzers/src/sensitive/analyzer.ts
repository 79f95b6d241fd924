/**
 * The `sensitive` analyzer: secrets in file contents (rule set with keyword prefilter) and
 * sensitive files by name. The secret rules read what gitleaks reads (gitleaks-file-skip.ts:
 * not archives by name, not what filetype calls an application type, such as executables,
 * libraries, archives, fonts and office files, but text, images and data files, NUL bytes or
 * not); files above the size cap and allow-listed paths (documentation, test data) are
 * skipped; sensitive file names are always read.
 */
import type { Analyzer, AnalyzerContext, FileMeta, Finding, LayerFile } from '../analyzer.ts';
import { MAX_MATCHES_PER_RULE, preferSpecific } from './detector.ts';
import { maskKeyId } from './mask.ts';
import { scanImageConfigDetailed } from './image-config.ts';
import { secretDetector, type SensitiveAnalyzerOptions } from './secret-detector.ts';
import { fileRulesFor, inspectSensitiveFile } from './sensitive-files.ts';
import { contentHash } from '../malware/content-hash.ts';
import { applicationByContent, archiveByName } from './gitleaks-file-skip.ts';

export { secretDetector, type SensitiveAnalyzerOptions };

export const DEFAULT_SECRET_MAX_FILE_SIZE = 8 * 1024 * 1024;
const BINARY_SNIFF = 8 * 1024;

/** Binary for the sensitive-file rules' text checks (a keystore's rule expects binary content). */
export function isBinaryContent(content: Uint8Array): boolean {
  return content.subarray(0, BINARY_SNIFF).indexOf(0) !== -1;
}

/** JSON.stringify replacer: compiled patterns by their source (the RE2 objects serialise as `{}`). */
const regexAsSource = (key: string, value: unknown) => (key === 'scanner' || key === 'single' ? undefined : value);

export function createSensitiveAnalyzer(opts: SensitiveAnalyzerOptions = {}): Analyzer {
  const detector = secretDetector(opts);
  const disabled = new Set(opts.disabledRules ?? []);
  const maxFileSize = opts.maxFileSize ?? DEFAULT_SECRET_MAX_FILE_SIZE;
  let notedLoad = false;

  return {
    name: 'sensitive/secrets',
    // Per-layer caches key on this: it changes with the code (the 3: files read as gitleaks reads them),
    // with any change to a rule in use (regex, keywords, entropy, allowlists) or to the
    // disabled set, and with the mask key (cached matches carry its fingerprints).
    version:
      3_000_000 +
      (contentHash(JSON.stringify([detector.ruleSet.rules, detector.ruleSet.allowlists], regexAsSource) + [...disabled].join(',') + (opts.maskKey ? maskKeyId(opts.maskKey) : '')) % 1_000_000),
    category: 'sensitive',
    maxFileSize,
    inspectImage(image) {
      const { findings, secrets } = scanImageConfigDetailed(image.config, image.history, image.diffIds, detector);
      return { sensitive: findings, masks: Object.fromEntries(secrets.map((s) => [s, detector.mask(s)])) };
    },
    required(path: string, meta: FileMeta): boolean {
      if (meta.kind !== 'file' || meta.size === 0) return false;
      if (fileRulesFor(path).length > 0 || detector.hasPathRule(path)) return true;
      if (archiveByName(path)) return false;
      return !detector.pathAllowed(path);
    },
    analyze(file: LayerFile, ctx: AnalyzerContext): Finding[] {
      if (!notedLoad) {
        notedLoad = true;
        for (const note of detector.ruleSet.notes) ctx.note(note);
      }
      const findings: Finding[] = [];
      const binary = isBinaryContent(file.content);
      const fileHits = inspectSensitiveFile(file.path, file.content, binary).filter((h) => !disabled.has(h.ruleId));
      const claimed = new Set(fileHits.map((h) => h.line));
      for (const h of fileHits) {
        findings.push({
          kind: 'sensitive',
          path: file.path,
          finding: { ruleId: h.ruleId, name: h.name, type: h.type, severity: h.severity, path: file.path, line: h.line, match: detector.mask(h.secret), recommendation: h.recommendation },
        });
      }
      // What gitleaks would not read: no content for the rules (a path-only rule still applies).
      const unread = applicationByContent(file.content);
      const pathHits = detector.pathHits(file.path, unread ? undefined : file.content);
      const scanned = unread ? { hits: [], truncated: [] } : detector.scanDetailed(file.content, file.path);
      for (const id of scanned.truncated) ctx.note(`secret rule ${id} stopped after ${MAX_MATCHES_PER_RULE} matches in ${file.path}: later matches of it in this file are not reported`);
      const hits = [...pathHits, ...preferSpecific(scanned.hits)];
      const sameSecret = new Set<string>();
      for (const h of hits) {
        // A file rule already reported this line (e.g. the key of an id_rsa): keep the more specific one.
        if (h.line !== null && claimed.has(h.line)) continue;
        // Two rules on one secret (a token inside a URL): the first, more specific rule wins.
        const key = `${h.line}\0${h.secret}`;
        if (sameSecret.has(key)) continue;
        sameSecret.add(key);
        findings.push({
          kind: 'sensitive',
          path: file.path,
          finding: {
            ruleId: h.rule.id,
            name: h.rule.name,
            type: h.rule.type,
            severity: h.rule.severity,
            path: file.path,
            line: h.line,
            match: detector.mask(h.secret),
            recommendation: h.rule.recommendation,
          },
        });
      }
      return findings;
    },
  };
}
