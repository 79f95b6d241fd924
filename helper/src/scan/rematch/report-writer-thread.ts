/**
 * The re-match's report writer: a thread that encodes and writes the re-matched reports while
 * the API's thread matches the next image. Encoding a hundred 1.5 MB reports (and collecting
 * the garbage it makes) was a third of a data update's re-match on the API's thread.
 *
 * A report is sent as the stored file's bytes it was read from, the JSON of the top-level fields
 * that changed, and its findings as references: each canonical finding the matcher worked out
 * (vulndb/finding-origins.ts) is encoded and sent once per run, and a report's copy of it as its
 * index and layer. The thread puts the same JSON together (report-writer-protocol.ts) and writes
 * it. A finding the matcher did not hand out is sent as its JSON.
 */
import type { Worker } from 'node:worker_threads';
import type { ScanReport, Vulnerability } from '@shipshape/shared';
import { findingOriginsOf, type FindingOrigins } from '../../vulndb/finding-origins.ts';
import { newDataWorker } from '../../vulndb/jobs/in-worker.ts';
import { cutFinding, type CutFinding, type FindingRefs, type ReportPart, type WriteReply, type WriteRequest } from './report-writer-protocol.ts';

/** A report as it was read: the parsed report and the file's bytes it was parsed from. */
export interface StoredReport {
  report: ScanReport;
  bytes: Uint8Array;
}

export class ReportWriterThread {
  /** Canonical findings met so far, with their index on the thread (-1: cannot be cut, sent whole each time). */
  private readonly sent = new Map<Vulnerability, number>();
  private cutCount = 0;
  private seq = 0;
  /** Reports the thread has written. */
  written = 0;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WriteReply) => {
      const waiter = this.waiting.get(reply.seq);
      if (!waiter) return;
      this.waiting.delete(reply.seq);
      if (reply.error !== undefined) return waiter.reject(new Error(reply.error));
      this.written++;
      waiter.resolve();
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the report writer thread stopped (exit code ${code})`)));
  }

  /** A started writer, or null when no thread could be started (the caller writes itself). */
  static async start(): Promise<ReportWriterThread | null> {
    try {
      // Its garbage is short-lived (one report at a time); a young generation a little larger
      // than the helper's own saves collections without holding much.
      return new ReportWriterThread(await newDataWorker({ workerData: { kind: 'report-writer' }, resourceLimits: { maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 256 } }));
    } catch {
      return null;
    }
  }

  /**
   * Writes `report` (the stored one re-matched: `matched` is the matcher's result it was made
   * from) to `path`. Rejects when the thread could not; the caller then writes it itself.
   */
  write(path: string, report: ScanReport, stored: StoredReport, matched: object): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const canonical: CutFinding[] = [];
    const parts: ReportPart[] = [];
    const before = stored.report as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(report)) {
      // What JSON.stringify leaves out.
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
      if (value === before[key]) parts.push({ key, from: 'stored' });
      else if (key === 'vulnerabilities' && Array.isArray(value)) parts.push({ key, findings: this.refs(value as Vulnerability[], findingOriginsOf(matched), canonical) });
      else parts.push({ key, json: JSON.stringify(value) });
    }
    const seq = this.seq++;
    const request: WriteRequest = { seq, path, stored: stored.bytes, canonical, parts };
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      const bytes = stored.bytes;
      // The bytes are the store's copy for this write alone: moved to the thread, not copied.
      const movable = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      const moved: ArrayBuffer[] = movable ? [bytes.buffer as ArrayBuffer] : [];
      for (const part of parts) if ('findings' in part) moved.push(part.findings.refs.buffer as ArrayBuffer, part.findings.layerOf.buffer as ArrayBuffer);
      try {
        this.worker.postMessage(request, moved);
      } catch (error) {
        // The thread may lack canonical findings counted as sent: nothing more goes to it.
        this.failure ??= error instanceof Error ? error : new Error(String(error));
        this.waiting.delete(seq);
        reject(this.failure);
      }
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the report writer thread was closed');
    await this.worker.terminate();
  }

  private refs(findings: readonly Vulnerability[], origins: FindingOrigins | undefined, canonical: CutFinding[]): FindingRefs {
    const refs = new Int32Array(findings.length);
    const layerOf = new Int32Array(findings.length);
    const layers: string[] = [];
    const layerIndex = new Map<Vulnerability['layer'], number>();
    const whole: string[] = [];
    for (let i = 0; i < findings.length; i++) {
      const finding = findings[i]!;
      const base = origins?.get(finding);
      const ref = base ? this.refOf(base, canonical) : -1;
      refs[i] = ref;
      if (ref < 0) {
        whole.push(JSON.stringify(finding));
        continue;
      }
      let layer = layerIndex.get(finding.layer);
      if (layer === undefined) {
        layer = layers.length;
        layers.push(JSON.stringify(finding.layer));
        layerIndex.set(finding.layer, layer);
      }
      layerOf[i] = layer;
    }
    return { refs, layerOf, layers, whole };
  }

  /** The thread's index of a canonical finding, sending it with this request the first time; -1 when it cannot be cut. */
  private refOf(base: Vulnerability, canonical: CutFinding[]): number {
    let ref = this.sent.get(base);
    if (ref === undefined) {
      const cut = cutFinding(JSON.stringify(base), JSON.stringify(base.layer));
      ref = cut ? this.cutCount++ : -1;
      if (cut) canonical.push(cut);
      this.sent.set(base, ref);
    }
    return ref;
  }
}
