import { signal } from '@preact/signals';
import type { Dashboard, Health } from '@shipshape/shared';
import type { Api, Connection } from '../lib/api';
import { ApiFailure, describeError } from '../lib/failure';
import type { ConnectionStore } from '../lib/storage';

export type ConnectionStatus =
  | { kind: 'checking' }
  | { kind: 'helper_down'; message: string }
  | { kind: 'docker_down'; message: string }
  | { kind: 'not_paired' }
  | { kind: 'pairing'; code: string; expiresAt: string }
  | { kind: 'rejected' }
  | { kind: 'expired' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; dockerVersion: string | null };

/**
 * Where this browser stands with the helper, and the pairing flow of extension/PAIRING.md.
 * `connection` is what the API client reads on every call.
 */
export function createConnectionState(store: ConnectionStore, makeApi: (connection: () => Connection) => Api, pollMs = 1000) {
  const connection = signal<Connection>({ helperUrl: '', token: null });
  const status = signal<ConnectionStatus>({ kind: 'checking' });
  /** The helper's last health answer (Docker, vulnerability data); null while it does not answer. */
  const health = signal<Health | null>(null);
  /** The dashboard read by the last check, so the first screen needs no second call. */
  const dashboard = signal<Dashboard | null>(null);
  const api = makeApi(() => connection.value);
  let pairing: AbortController | null = null;

  function classify(error: unknown): ConnectionStatus {
    if (error instanceof ApiFailure) {
      if (error.kind === 'helper_down') return { kind: 'helper_down', message: error.message };
      if (error.kind === 'docker_down') return { kind: 'docker_down', message: error.message };
      if (error.kind === 'unauthorized') return { kind: 'not_paired' };
      if (error.kind === 'forbidden') return { kind: 'rejected' };
    }
    return { kind: 'error', message: describeError(error) };
  }

  /**
   * Health (no token) and, when there is a token, the dashboard to prove it, side by side.
   * A 401 means not paired whatever Docker does; a token the helper accepts with Docker down
   * is paired, and Docker is what is missing.
   */
  async function check(): Promise<void> {
    // Content already shown stays until the verdict: no flash of "checking" on a re-check.
    if (status.peek().kind !== 'ready') status.value = { kind: 'checking' };
    connection.value = await store.load();
    const proof = connection.value.token ? api.dashboard() : null;
    proof?.catch(() => undefined); // judged below, after health
    try {
      health.value = await api.health();
    } catch (error) {
      health.value = null;
      status.value = classify(error);
      return;
    }
    if (!proof) {
      status.value = { kind: 'not_paired' };
      return;
    }
    try {
      dashboard.value = await proof;
    } catch (error) {
      status.value = classify(error);
      return;
    }
    status.value = health.value.docker.reachable
      ? { kind: 'ready', dockerVersion: health.value.docker.version }
      : { kind: 'docker_down', message: 'The helper runs, but Docker does not answer.' };
  }

  /**
   * Reads the stored connection without checking it; true when there is a token. The side
   * panel asks for its first page right away with it, beside the check.
   */
  async function preload(): Promise<boolean> {
    connection.value = await store.load();
    return Boolean(connection.value.token);
  }

  /**
   * Shows the content while the check runs, when a token is stored: the side panel draws its
   * frame and then its rows the moment they arrive, instead of after the check. Whatever the
   * check then finds (helper down, token refused, Docker down) replaces it.
   */
  function assumeReady(): void {
    if (status.peek().kind === 'checking' && connection.peek().token) status.value = { kind: 'ready', dockerVersion: health.peek()?.docker.version ?? null };
  }

  /** Health again without leaving the current screen (after a data update, for the checklist). */
  async function refreshHealth(): Promise<void> {
    try {
      health.value = await api.health();
    } catch (error) {
      report(error);
    }
  }

  /** Called when any later call fails: a 401 means the token was rotated, and so on. */
  function report(error: unknown): void {
    const next = classify(error);
    if (next.kind !== 'error') status.value = next;
  }

  async function startPairing(): Promise<void> {
    pairing?.abort();
    const controller = (pairing = new AbortController());
    try {
      const request = await api.pairRequest();
      status.value = { kind: 'pairing', code: request.code, expiresAt: request.expiresAt };
      while (!controller.signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        if (controller.signal.aborted) return;
        const answer = await api.pairStatus(request.requestId);
        if (answer.state === 'pending') continue;
        if (answer.state === 'approved') {
          connection.value = { ...connection.value, token: answer.token };
          await store.save(connection.value);
          await check();
        } else status.value = { kind: answer.state };
        return;
      }
    } catch (error) {
      if (!controller.signal.aborted) status.value = classify(error);
    }
  }

  function cancelPairing(): void {
    pairing?.abort();
    status.value = { kind: 'not_paired' };
  }

  async function setHelperUrl(helperUrl: string): Promise<void> {
    connection.value = { helperUrl, token: connection.value.token };
    await store.save(connection.value);
    await check();
  }

  async function forget(): Promise<void> {
    connection.value = { ...connection.value, token: null };
    await store.save(connection.value);
    status.value = { kind: 'not_paired' };
  }

  return { connection, status, health, dashboard, api, preload, assumeReady, check, refreshHealth, report, startPairing, cancelPairing, setHelperUrl, forget };
}

export type ConnectionState = ReturnType<typeof createConnectionState>;
