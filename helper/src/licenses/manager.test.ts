import { describe, expect, it } from 'vitest';
import type { ServerEvent } from '@shipshape/shared';
import { ScanDataStore } from '../scan/scan-data.ts';
import { memoryHost } from '../scan/memory-host.ts';
import { LicenseManager } from './manager.ts';

function manager(poolSize: number | null) {
  const data = new ScanDataStore(memoryHost());
  const events: ServerEvent[] = [];
  const known = ['sha256:aaaa', 'sha256:bbbb', 'sha256:cccc'];
  const m = new LicenseManager({ data, emit: (e) => events.push(e), resolve: async (q) => known.find((k) => k.startsWith(q) || k.slice(7).startsWith(q)) ?? null });
  m.updateSettings({ poolSize, autoLicense: false });
  return { m, events };
}

describe('LicenseManager', () => {
  it('licenses everything while the pool is unlimited', () => {
    expect(manager(null).m.isLicensed('sha256:anything')).toBe(true);
  });

  it('assigns up to the pool size, logs each change, and revokes', async () => {
    const { m, events } = manager(2);
    const answer = await m.apply('assign', ['aaaa', 'bbbb', 'cccc', 'dddd']);
    expect(answer.state).toMatchObject({ used: 2, available: 0, licensed: ['sha256:aaaa', 'sha256:bbbb'] });
    expect(answer.rejected.map((r) => r.reason)).toEqual(['unknown image', 'license pool is full (2)']);
    expect(m.isLicensed('sha256:cccc')).toBe(false);
    await m.apply('revoke', ['aaaa']);
    expect(m.isLicensed('sha256:aaaa')).toBe(false);
    expect(m.events().map((e) => e.action)).toEqual(['revoke', 'assign']);
    expect(events.filter((e) => e.type === 'license.changed')).toHaveLength(2);
  });

  it('auto-licenses new images while there is room', () => {
    const { m } = manager(1);
    m.updateSettings({ poolSize: 1, autoLicense: true });
    expect(m.onImageAdded('sha256:aaaa')).toBe(true);
    expect(m.onImageAdded('sha256:bbbb')).toBe(false);
    expect(m.events()[0]).toMatchObject({ action: 'auto_assign', images: ['sha256:aaaa'] });
  });
});
