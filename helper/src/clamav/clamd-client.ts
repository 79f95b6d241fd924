/**
 * A minimal clamd client (the daemon of ClamAV): PING, VERSION and INSTREAM over a Unix
 * socket or TCP. INSTREAM sends the file as length-prefixed chunks, so nothing is written
 * to disk and clamd needs no access to the image.
 */
import { connect, type Socket } from 'node:net';

export type ClamdAddress = { socketPath: string } | { host: string; port: number };

/** `/run/clamav/clamd.ctl`, `unix:///path`, `tcp://127.0.0.1:3310` or `127.0.0.1:3310`. */
export function parseClamdAddress(text: string): ClamdAddress {
  const s = text.trim();
  if (s.startsWith('unix://')) return { socketPath: s.slice('unix://'.length) };
  if (s.startsWith('/')) return { socketPath: s };
  const m = /^(?:tcp:\/\/)?(\[[^\]]+\]|[^:/]+):(\d{1,5})$/.exec(s);
  if (!m || Number(m[2]) > 65535) throw new Error(`invalid clamd address '${text}' (use a socket path or host:port)`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

export function describeClamdAddress(a: ClamdAddress): string {
  return 'socketPath' in a ? a.socketPath : `${a.host}:${a.port}`;
}

export interface ScanVerdict {
  infected: boolean;
  /** Signature name when infected. */
  signature: string | null;
}

export class ClamdError extends Error {
  override name = 'ClamdError';
}

export interface ClamdClientOptions {
  /** Per-command timeout (default 60 s). */
  timeoutMs?: number;
  chunkSize?: number;
}

export class ClamdClient {
  private readonly timeoutMs: number;
  private readonly chunkSize: number;

  constructor(
    readonly address: ClamdAddress,
    opts: ClamdClientOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.chunkSize = opts.chunkSize ?? 64 * 1024;
  }

  async ping(): Promise<boolean> {
    return (await this.command('PING')) === 'PONG';
  }

  async version(): Promise<string> {
    return this.command('VERSION');
  }

  /** Scans bytes with INSTREAM. Throws ClamdError on a clamd error (e.g. size limit) or I/O failure. */
  async scan(data: Buffer, signal?: AbortSignal): Promise<ScanVerdict> {
    const reply = await this.exchange((socket) => {
      socket.write('zINSTREAM\0');
      for (let off = 0; off < data.length; off += this.chunkSize) {
        const chunk = data.subarray(off, off + this.chunkSize);
        const len = Buffer.alloc(4);
        len.writeUInt32BE(chunk.length, 0);
        socket.write(len);
        socket.write(chunk);
      }
      socket.write(Buffer.alloc(4));
    }, signal);
    return parseScanReply(reply);
  }

  private async command(name: string): Promise<string> {
    return this.exchange((socket) => socket.write(`z${name}\0`));
  }

  /** Opens a connection, sends, and reads the NUL-terminated reply. */
  private exchange(send: (socket: Socket) => void, signal?: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new ClamdError('aborted'));
      const socket = 'socketPath' in this.address ? connect(this.address.socketPath) : connect(this.address.port, this.address.host);
      const chunks: Buffer[] = [];
      let settled = false;
      const finish = (error: Error | null, value?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        if (error) reject(error);
        else resolve(value!);
      };
      const onAbort = () => finish(new ClamdError('aborted'));
      signal?.addEventListener('abort', onAbort);
      const timer = setTimeout(() => finish(new ClamdError(`clamd at ${describeClamdAddress(this.address)} did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      socket.on('connect', () => send(socket));
      socket.on('data', (c) => {
        chunks.push(c);
        const all = Buffer.concat(chunks);
        const nul = all.indexOf(0);
        if (nul !== -1) finish(null, all.subarray(0, nul).toString('utf8').trim());
      });
      socket.on('end', () => finish(null, Buffer.concat(chunks).toString('utf8').replace(/\0/g, '').trim()));
      socket.on('error', (e) => finish(new ClamdError(`clamd at ${describeClamdAddress(this.address)}: ${e.message}`)));
    });
  }
}

/** `stream: OK`, `stream: Eicar-Signature FOUND`, `INSTREAM size limit exceeded. ERROR`. */
export function parseScanReply(reply: string): ScanVerdict {
  const body = reply.replace(/^stream:\s*/, '');
  if (body === 'OK') return { infected: false, signature: null };
  const found = /^(.*)\s+FOUND$/.exec(body);
  if (found) return { infected: true, signature: found[1]!.trim() };
  throw new ClamdError(`clamd: ${body.replace(/\s*ERROR$/, '') || 'empty reply'}`);
}
