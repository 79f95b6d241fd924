import type { Dashboard, Health } from '@shipshape/shared';
import type { ConnectionStatus } from './connection';

/**
 * The first-run checklist: what must be in place before Shipshape can judge images, in the
 * order a new user meets it. Each step is done, to do (with one line saying what to do, and
 * the action that does it), or waiting for an earlier step.
 */
export type StepId = 'helper' | 'paired' | 'docker' | 'data' | 'scan';
export type StepAction = 'retry' | 'pair' | 'cancel-pairing' | 'update-data' | 'quick-scan';
export type SetupStep = {
  id: StepId;
  state: 'done' | 'todo' | 'waiting' | 'checking';
  /** One line: what is in place, or what is missing and what to do. */
  text: string;
  /** A command to run in a terminal, shown as code. */
  command?: string;
  /** A second way, when the first may not work everywhere (shown small, under the line). */
  hint?: string;
  action?: { kind: StepAction; label: string };
};

/** Without these three nothing can be shown; the other two are shown beside the list. */
export const blockingSteps: readonly StepId[] = ['helper', 'paired', 'docker'];

const pairingText: Partial<Record<ConnectionStatus['kind'], string>> = {
  not_paired: 'Not paired yet: press Pair, then approve the code on this machine.',
  rejected: 'The helper refused this browser: pair again and approve the new code.',
  expired: 'The pairing code expired: pair again and approve the new code within 5 minutes.',
};

export function setupSteps(status: ConnectionStatus, health: Health | null, dashboard: Dashboard | null): SetupStep[] {
  const checking = status.kind === 'checking';
  const helperUp = health !== null && status.kind !== 'helper_down';
  const paired = status.kind === 'ready' || status.kind === 'docker_down';
  const retry = { kind: 'retry', label: 'Retry' } as const;

  let helper: SetupStep;
  if (status.kind === 'error') helper = { id: 'helper', state: 'todo', text: `The helper answered unexpectedly: ${status.message}`, action: retry };
  else if (checking && !health) helper = { id: 'helper', state: 'checking', text: 'Looking for the helper…' };
  else if (helperUp) helper = { id: 'helper', state: 'done', text: `Helper running (version ${health.version}).` };
  else helper = { id: 'helper', state: 'todo', text: 'The helper is not running: start it in the Shipshape folder, then Retry.', command: 'npm start', action: retry };

  let pairing: SetupStep;
  if (paired) pairing = { id: 'paired', state: 'done', text: 'This browser is paired with the helper.' };
  else if (status.kind === 'pairing') pairing = { id: 'paired', state: 'todo', text: `Approve code ${status.code}: in a terminal run`, command: `shipshape pair ${status.code}`, hint: `Not on your PATH? In the Shipshape folder: npm run shipshape -- pair ${status.code}`, action: { kind: 'cancel-pairing', label: 'Cancel' } };
  else if (pairingText[status.kind]) pairing = { id: 'paired', state: 'todo', text: pairingText[status.kind]!, action: { kind: 'pair', label: status.kind === 'not_paired' ? 'Pair' : 'Pair again' } };
  else pairing = { id: 'paired', state: checking ? 'checking' : 'waiting', text: 'Pair this browser with the helper (once it runs).' };

  const docker: SetupStep = !helperUp
    ? { id: 'docker', state: checking ? 'checking' : 'waiting', text: 'Docker (the helper says once it runs).' }
    : health.docker.reachable
      ? { id: 'docker', state: 'done', text: `Docker answers${health.docker.version ? ` (Engine ${health.docker.version})` : ''}.` }
      : { id: 'docker', state: 'todo', text: 'Docker does not answer: start it, then Retry.', command: 'sudo systemctl start docker', action: retry };

  const data: SetupStep = !helperUp
    ? { id: 'data', state: 'waiting', text: 'Vulnerability data (the helper says once it runs).' }
    : health.vulnerabilityData.present
      ? { id: 'data', state: 'done', text: `Vulnerability data: ${health.vulnerabilityData.records.toLocaleString()} records.` }
      : {
          id: 'data',
          state: 'todo',
          text: 'No vulnerability data: images get no vulnerability verdict until you update or import it.',
          ...(paired && health.docker.reachable ? { action: { kind: 'update-data', label: 'Update data…' } as const } : {}),
        };

  const scan: SetupStep = !paired || !dashboard
    ? { id: 'scan', state: 'waiting', text: 'A first scan (once paired).' }
    : dashboard.lastScanTime
      ? { id: 'scan', state: 'done', text: 'First scan done.' }
      : { id: 'scan', state: 'todo', text: 'No image scanned yet: a quick scan looks for risks in your images.', ...(health?.docker.reachable ? { action: { kind: 'quick-scan', label: 'Quick scan' } as const } : {}) };

  return [helper, pairing, docker, data, scan];
}

export const isBlocked = (steps: SetupStep[]) => steps.some((step) => blockingSteps.includes(step.id) && step.state !== 'done');
export const isComplete = (steps: SetupStep[]) => steps.every((step) => step.state === 'done');
