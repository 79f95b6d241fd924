/**
 * Pairing the browser extension (extension/PAIRING.md): the extension asks for a short code,
 * a person approves it with `shipshape pair CODE` (which holds the token), and the extension
 * collects the token once. Requests live in memory only, expire after 5 minutes, and are
 * rate-limited (at most 5 pending, 10 new per minute), so nobody can flood the terminal or
 * guess their way in: approving needs the token, and request IDs are 128 random bits.
 */
import { PAIR_CODE_ALPHABET, PAIR_CODE_LENGTH, PAIR_REQUEST_TTL_MS, normalizePairCode, type PairStatusAnswer } from '@shipshape/shared';
import { randomBytes, randomInt } from 'node:crypto';
import { HttpError } from '../http/errors.ts';

type PairRequest = {
  id: string;
  code: string;
  origin: string;
  client: string;
  expiresAt: number;
  state: 'pending' | 'approved' | 'rejected';
};

export type PairingOptions = {
  /** The current API token, handed over once on approval. */
  token: () => string;
  /** Approval: the origin becomes the paired one (replacing any earlier). */
  onApproved: (origin: string) => void;
  log: (line: string) => void;
  now?: () => number;
  maxPending?: number;
  maxPerMinute?: number;
};

export class Pairing {
  private readonly requests = new Map<string, PairRequest>();
  private recent: number[] = [];
  private readonly now: () => number;

  constructor(private readonly options: PairingOptions) {
    this.now = options.now ?? Date.now;
  }

  request(origin: string, client: string): { requestId: string; code: string; expiresAt: string } {
    this.purge();
    const now = this.now();
    this.recent = this.recent.filter((t) => now - t < 60_000);
    const pending = [...this.requests.values()].filter((r) => r.state === 'pending').length;
    if (pending >= (this.options.maxPending ?? 5)) {
      throw new HttpError(429, 'rate_limited', 'too many pairing requests are waiting for approval; try again in a few minutes');
    }
    if (this.recent.length >= (this.options.maxPerMinute ?? 10)) {
      throw new HttpError(429, 'rate_limited', 'too many pairing requests in the last minute; try again shortly');
    }
    this.recent.push(now);
    const request: PairRequest = { id: randomBytes(16).toString('hex'), code: this.newCode(), origin, client, expiresAt: now + PAIR_REQUEST_TTL_MS, state: 'pending' };
    this.requests.set(request.id, request);
    this.options.log(
      `Pairing request from ${origin} (${client.replace(/[^\x20-\x7e]/g, '?')}) — code ${request.code}. ` +
        `Approve: shipshape pair ${request.code} (reject: shipshape pair --reject ${request.code})`,
    );
    return { requestId: request.id, code: request.code, expiresAt: new Date(request.expiresAt).toISOString() };
  }

  /** The extension polls; the token goes out once, only to the origin that asked. */
  status(requestId: string, origin: string): PairStatusAnswer {
    this.purge();
    const request = this.requests.get(requestId);
    if (!request) return { state: 'expired' };
    if (request.origin !== origin) throw new HttpError(404, 'not_found', 'no such pairing request');
    if (request.state === 'pending') return { state: 'pending' };
    this.requests.delete(requestId);
    return request.state === 'approved' ? { state: 'approved', token: this.options.token() } : { state: 'rejected' };
  }

  approve(code: string, reject: boolean): { origin: string; state: 'approved' | 'rejected' } {
    this.purge();
    const wanted = normalizePairCode(code);
    const request = [...this.requests.values()].find((r) => r.state === 'pending' && r.code === wanted);
    if (!request) throw new HttpError(404, 'not_found', `no pending pairing request with code ${wanted} (codes expire after 5 minutes)`, 'code');
    request.state = reject ? 'rejected' : 'approved';
    if (!reject) this.options.onApproved(request.origin);
    this.options.log(`Pairing ${request.state}: ${request.origin}`);
    return { origin: request.origin, state: request.state };
  }

  private purge(): void {
    const now = this.now();
    for (const [id, request] of this.requests) if (request.expiresAt <= now) this.requests.delete(id);
  }

  private newCode(): string {
    const taken = new Set([...this.requests.values()].map((r) => r.code));
    for (;;) {
      const code = Array.from({ length: PAIR_CODE_LENGTH }, () => PAIR_CODE_ALPHABET[randomInt(PAIR_CODE_ALPHABET.length)]).join('');
      if (!taken.has(code)) return code;
    }
  }
}
