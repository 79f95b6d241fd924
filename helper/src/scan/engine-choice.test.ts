import { describe, expect, it } from 'vitest';
import { EnginesOfflineError, exportOrder } from './engine-choice.ts';

const engine = (name: string, patch: Partial<{ online: boolean; local: boolean; inPlace: boolean }> = {}) => ({ name, online: true, local: false, inPlace: false, ...patch });

describe('exportOrder', () => {
  it('prefers an online engine on this machine, then one readable in place, then configuration order', () => {
    expect(exportOrder([engine('remote-a'), engine('remote-b'), engine('mine', { local: true })])).toEqual(['mine', 'remote-a', 'remote-b']);
    expect(exportOrder([engine('remote-a'), engine('fast', { inPlace: true }), engine('mine', { local: true, online: false })])).toEqual(['fast', 'remote-a']);
    expect(exportOrder([engine('a', { local: true }), engine('b', { local: true, inPlace: true })])).toEqual(['b', 'a']);
  });

  it('says which engines are offline when none can export', () => {
    expect(() => exportOrder([engine('e2', { online: false })])).toThrow(new EnginesOfflineError(['e2']));
    expect(() => exportOrder([engine('e2', { online: false })])).toThrow('engine e2 offline');
    expect(() => exportOrder([engine('e2', { online: false }), engine('e3', { online: false })])).toThrow('engines e2, e3 offline');
  });
});
