import { computed, signal } from '@preact/signals';
import type { DataSourceProgress, DataUpdateResult, DataUpdateStatus } from '@shipshape/shared';
import type { Api } from '../lib/api';
import { describeError } from '../lib/failure';

/**
 * The Update data dialog: where the data comes from (the default feed, a mirror of it, or a
 * local file or folder), the update's progress per source, and, when it fails, which source
 * failed, why, and what to do instead.
 */
export type SourceChoice = { kind: 'feed' } | { kind: 'mirror'; url: string } | { kind: 'local'; path: string };

/** What the helper is asked to do for a choice. */
export function requestFor(choice: SourceChoice): { source?: string; mirror?: string } {
  if (choice.kind === 'mirror') return { mirror: choice.url.trim() };
  if (choice.kind === 'local') return { source: choice.path.trim() };
  return {};
}

/** Why a choice cannot be sent yet, or null. */
export function choiceProblem(choice: SourceChoice): string | null {
  if (choice.kind === 'mirror') {
    const url = choice.url.trim();
    if (!url) return 'Enter the mirror URL.';
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'The mirror URL must start with http:// or https://.';
    } catch {
      return 'The mirror URL is not a URL (for example https://mirror.example/osv).';
    }
  }
  if (choice.kind === 'local' && !/^(\/|[A-Za-z]:[\\/])/.test(choice.path.trim())) return 'Enter the full path of the file or folder on this machine (it starts with /).';
  return null;
}

/** One source's line in the progress list. */
export type SourceLine = { name: string; state: 'waiting' | 'working' | 'done' | 'failed'; text: string };

/** Each source's progress as the helper reports it; a result stored by an older helper has none. */
const sourcesOf = (value: DataUpdateStatus | DataUpdateResult): DataSourceProgress[] => value.sources ?? [];

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`;

export function describeSource(choice: SourceChoice): string {
  if (choice.kind === 'mirror') return `the mirror ${choice.url.trim()}`;
  if (choice.kind === 'local') return choice.path.trim();
  return 'the OSV feed';
}

function sourceLine(source: DataSourceProgress): SourceLine {
  switch (source.phase) {
    case 'pending':
      return { name: source.name, state: 'waiting', text: 'waiting' };
    case 'downloading':
      return { name: source.name, state: 'working', text: `downloading ${megabytes(source.receivedBytes ?? 0)}${source.totalBytes ? ` of ${megabytes(source.totalBytes)}` : ''}` };
    case 'importing':
      return { name: source.name, state: 'working', text: 'importing' };
    case 'updated':
      return { name: source.name, state: 'done', text: `updated${source.records !== null && source.records !== undefined ? `: ${source.records.toLocaleString()} records` : ''}` };
    case 'unchanged':
      return { name: source.name, state: 'done', text: 'unchanged since the last update' };
    case 'failed':
      return { name: source.name, state: 'failed', text: `failed: ${source.error ?? 'no reason given'}` };
  }
}

const phaseText: Record<string, string> = { inventory: 'Refreshing the image list', vulndb: 'Updating vulnerability data', rematch: 'Re-checking scanned images' };

/** The progress lines of a running (or finished) update: one per source, then the overall step. */
export function progressLines(status: DataUpdateStatus, choice: SourceChoice): { sources: SourceLine[]; step: string | null } {
  const reported = sourcesOf(status.running ? status : (status.lastResult ?? status));
  const sources = reported.length
    ? reported.map(sourceLine)
    : [{ name: describeSource(choice), state: status.running ? (status.phase === 'rematch' ? 'done' : status.phase === 'vulndb' ? 'working' : 'waiting') : status.lastResult?.outcome === 'error' ? 'failed' : 'done', text: status.running ? (status.phase === 'vulndb' ? 'updating' : status.phase === 'rematch' ? 'done' : 'waiting') : (status.lastResult?.reason ?? 'done') } satisfies SourceLine];
  const step = status.running && status.phase ? `${phaseText[status.phase] ?? status.phase}${status.phase === 'rematch' && status.total ? ` (${status.done} of ${status.total})` : ''}…` : null;
  return { sources, step };
}

/** What the dialog says when the update is over. */
export type Outcome = { ok: boolean; summary: string; failures: string[]; advice: string | null };

export function describeOutcome(result: DataUpdateResult, choice: SourceChoice): Outcome {
  const failed = sourcesOf(result).filter((s) => s.phase === 'failed');
  const failures = failed.map((s) => `${s.name}: ${s.error ?? 'failed'}`);
  const advice =
    choice.kind === 'feed'
      ? 'Offline or behind a proxy? Use a mirror URL that serves <URL>/<Ecosystem>/all.zip, or a local file (an OSV all.zip) or folder.'
      : choice.kind === 'mirror'
        ? 'Check that the mirror answers from this machine and serves <URL>/<Ecosystem>/all.zip, or use a local file or folder instead.'
        : 'Check the path: the helper reads it on this machine (an OSV all.zip, OSV JSON or JSONL, an Alpine secdb file, a Debian DSA/DLA list, or a folder of them).';
  if (result.outcome === 'error') {
    return { ok: false, summary: `The update from ${describeSource(choice)} failed: ${result.reason ?? 'no reason given'}.`, failures, advice };
  }
  const records = result.vulnDb?.advisories;
  const summary = `Vulnerability data updated from ${describeSource(choice)}${records !== null && records !== undefined ? `: ${records.toLocaleString()} records` : ''}; ${result.changedImages} image(s) changed.`;
  return { ok: true, summary, failures, advice: failures.length ? 'Some sources failed and kept their previous data; try again later, or use a mirror or a local file.' : null };
}

/** Starting the update and following it to the end (events when the panel has them, else polling). */
export function createDataUpdateState(api: Api, pollMs = 1000) {
  const status = signal<DataUpdateStatus | null>(null);
  const stage = signal<'choosing' | 'running' | 'done'>('choosing');
  const error = signal<string | null>(null);
  const startedAt = signal<string | null>(null);
  const result = computed(() => (stage.value === 'done' ? (status.value?.lastResult ?? null) : null));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onDone: () => void = () => undefined;

  function settle(next: DataUpdateStatus): void {
    status.value = next;
    if (stage.peek() !== 'running' || next.running) return;
    // The result of this run (not one from before it started).
    if (next.lastResult && startedAt.peek() && next.lastResult.startedAt < startedAt.peek()!) return;
    stage.value = 'done';
    clearTimeout(timer);
    onDone();
  }

  function poll(): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      api.dataUpdate().then(
        (next) => {
          settle(next);
          if (stage.peek() === 'running') poll();
        },
        (e: unknown) => {
          error.value = describeError(e);
          poll();
        },
      );
    }, pollMs);
  }

  async function start(choice: SourceChoice, finished: () => void): Promise<void> {
    onDone = finished;
    error.value = null;
    try {
      const started = await api.startDataUpdate(requestFor(choice));
      startedAt.value = started.startedAt;
      stage.value = 'running';
      settle(started);
      if (stage.peek() === 'running') poll();
    } catch (e) {
      error.value = describeError(e);
    }
  }

  /** Progress pushed by the event stream (the side panel). */
  function apply(live: DataUpdateStatus | null): void {
    if (live && stage.peek() === 'running') settle(live);
  }

  function reset(): void {
    clearTimeout(timer);
    stage.value = 'choosing';
    error.value = null;
  }

  return { status, stage, error, result, start, apply, reset, dispose: () => clearTimeout(timer) };
}

export type DataUpdateState = ReturnType<typeof createDataUpdateState>;
