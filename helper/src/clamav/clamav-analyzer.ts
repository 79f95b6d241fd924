/**
 * ClamAV as an extra malware analyzer: when a clamd socket or TCP address is configured,
 * candidate files (executables, scripts, archives; size-capped) are streamed to clamd over
 * INSTREAM and its verdicts become findings with engine `clamav`, beside the built-in
 * engine's. clamd being down is a note on the report, never a failed scan.
 */
import type { Analyzer, AnalyzerContext, FileMeta, Finding, LayerFile } from '@shipshape/analyzers';
import { classifySignatureName, toMalwareFinding } from '@shipshape/analyzers/malware/index.ts';
import { ClamdClient, describeClamdAddress, parseClamdAddress, type ClamdAddress } from './clamd-client.ts';

export interface ClamavAnalyzerOptions {
  /** Socket path or host:port (see parseClamdAddress). */
  address: string | ClamdAddress;
  /** Files above this are not sent (default 25 MiB, clamd's default StreamMaxLength). */
  maxFileSize?: number;
  timeoutMs?: number;
}

export const DEFAULT_CLAMAV_MAX_FILE_SIZE = 25 * 1024 * 1024;

const SCRIPT_OR_ARCHIVE = /\.(?:sh|bash|py|pl|rb|php\d?|phtml|jsp|jspx|asp|aspx|js|mjs|cjs|ps1|bat|cmd|vbs|lua|elf|bin|so(?:\.[0-9.]+)?|exe|dll|zip|jar|war|ear|tar|tgz|gz|bz2|xz|7z|rar|apk|deb|rpm)$/i;

/** Executables, scripts and archives: what is worth a round trip to clamd. */
export function isClamavCandidate(path: string, meta: FileMeta): boolean {
  return meta.kind === 'file' && meta.size > 0 && ((meta.mode & 0o111) !== 0 || SCRIPT_OR_ARCHIVE.test(path) || /^\/(?:tmp|var\/tmp|dev\/shm)\//.test(path));
}

export function createClamavAnalyzer(opts: ClamavAnalyzerOptions): Analyzer {
  const address = typeof opts.address === 'string' ? parseClamdAddress(opts.address) : opts.address;
  const client = new ClamdClient(address, { timeoutMs: opts.timeoutMs });
  const where = describeClamdAddress(address);
  let unreachable = false;
  return {
    name: 'malware/clamav',
    version: 1,
    category: 'malware',
    maxFileSize: opts.maxFileSize ?? DEFAULT_CLAMAV_MAX_FILE_SIZE,
    required: isClamavCandidate,
    async analyze(file: LayerFile, ctx: AnalyzerContext): Promise<Finding[]> {
      if (unreachable) return [];
      try {
        const verdict = await client.scan(file.content, ctx.signal);
        if (!verdict.infected || !verdict.signature) return [];
        return [toMalwareFinding(classifySignatureName(verdict.signature), file.path, file.path, file.content, 'clamav')];
      } catch (error) {
        const message = (error as Error).message;
        if (/ECONNREFUSED|ENOENT|did not answer/.test(message)) {
          unreachable = true;
          ctx.note(`ClamAV: ${message}; no ClamAV verdicts for the rest of this scan (clamd at ${where})`);
        } else if (!ctx.signal?.aborted) {
          ctx.note(`ClamAV could not scan ${file.path}: ${message}`);
        }
        return [];
      }
    },
  };
}
