import type { Dashboard, Health } from '@shipshape/shared';
import { describe, expect, it } from 'vitest';
import { isBlocked, isComplete, setupSteps, type SetupStep } from './setup';

const health = (patch: { docker?: boolean; data?: boolean } = {}): Health => ({
  status: 'ok',
  version: '0.1.0',
  docker: { reachable: patch.docker ?? true, version: '20.10' },
  vulnerabilityData: patch.data === false ? { present: false, records: 0, updatedAt: null, sources: [], stale: false, autoUpdate: 'off', updating: false } : { present: true, records: 1200, updatedAt: '2026-01-01T00:00:00Z', sources: [], stale: false, autoUpdate: 'off', updating: false },
});
const dashboard = (lastScanTime: string | null): Dashboard => ({
  totalImages: 2, imagesAtRisk: 0, imagesIncomplete: 0, highPriorityImages: 0,
  vulnerabilities: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, total: 0 }, viruses: 0, trojans: 0, sensitive: 0, lastScanTime, servers: [],
});
const states = (steps: SetupStep[]) => Object.fromEntries(steps.map((s) => [s.id, s.state]));
const actions = (steps: SetupStep[]) => steps.flatMap((s) => (s.action ? [`${s.id}:${s.action.kind}`] : []));

describe('setupSteps', () => {
  it('with the helper stopped: its line says how to start it; the rest waits', () => {
    const steps = setupSteps({ kind: 'helper_down', message: 'nothing answers' }, null, null);
    expect(states(steps)).toEqual({ helper: 'todo', paired: 'waiting', docker: 'waiting', data: 'waiting', scan: 'waiting' });
    expect(steps[0]!.command).toBe('npm start');
    expect(actions(steps)).toEqual(['helper:retry']);
    expect(isBlocked(steps)).toBe(true);
  });

  it('unpaired: Pair; Docker and the data are already known from health', () => {
    const steps = setupSteps({ kind: 'not_paired' }, health({ docker: false, data: false }), null);
    expect(states(steps)).toEqual({ helper: 'done', paired: 'todo', docker: 'todo', data: 'todo', scan: 'waiting' });
    // Update data needs a pairing and Docker: not offered yet.
    expect(actions(steps)).toEqual(['paired:pair', 'docker:retry']);
  });

  it('pairing: the code and the command to approve it', () => {
    const steps = setupSteps({ kind: 'pairing', code: 'K7M4QX', expiresAt: '2030-01-01T00:00:00Z' }, health(), null);
    expect(steps[1]).toMatchObject({ state: 'todo', command: 'shipshape pair K7M4QX', hint: expect.stringContaining('npm run shipshape -- pair K7M4QX'), action: { kind: 'cancel-pairing' } });
  });

  it('paired with Docker down: Docker is the line to fix', () => {
    const steps = setupSteps({ kind: 'docker_down', message: 'x' }, health({ docker: false }), dashboard(null));
    expect(states(steps)).toMatchObject({ helper: 'done', paired: 'done', docker: 'todo' });
    expect(steps[2]!.command).toBe('sudo systemctl start docker');
    expect(isBlocked(steps)).toBe(true);
  });

  it('ready without data and without a scan: not blocked, Update data and Quick scan offered', () => {
    const steps = setupSteps({ kind: 'ready', dockerVersion: '20.10' }, health({ data: false }), dashboard(null));
    expect(isBlocked(steps)).toBe(false);
    expect(isComplete(steps)).toBe(false);
    expect(actions(steps)).toEqual(['data:update-data', 'scan:quick-scan']);
  });

  it('is complete once data is there and a scan has run', () => {
    expect(isComplete(setupSteps({ kind: 'ready', dockerVersion: '20.10' }, health(), dashboard('2026-01-02T00:00:00Z')))).toBe(true);
  });

  it('says when the helper answers with something unexpected', () => {
    const steps = setupSteps({ kind: 'error', message: 'expected a list' }, health(), null);
    expect(steps[0]).toMatchObject({ state: 'todo', text: 'The helper answered unexpectedly: expected a list' });
  });
});
