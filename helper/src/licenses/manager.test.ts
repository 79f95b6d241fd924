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

  it('licenses a burst of new images with one state write and one log event, before anything reads them', async () => {
    const host = memoryHost();
    const data = new ScanDataStore(host);
    const m = new LicenseManager({ data, emit: () => {}, resolve: async () => null });
    m.updateSettings({ poolSize: 1500, autoLicense: true });
    let writes = 0;
    const update = host.update.bind(host);
    host.update = (mutate) => {
      writes++;
      update(mutate);
    };
    const burst = Array.from({ length: 2000 }, (_, i) => `sha256:${String(i).padStart(64, '0')}`);
    for (const id of burst) m.noteImageAdded(id);
    m.noteImageAdded(burst[0]!); // the same image from a second engine
    expect(writes).toBe(0);
    // Reading settles the burst: the pool takes the first 1500, the rest get none.
    expect(m.isLicensed(burst[1499]!)).toBe(true);
    expect(m.isLicensed(burst[1500]!)).toBe(false);
    expect(writes).toBe(2); // the licensed list, then its log event
    expect(m.state()).toMatchObject({ used: 1500, available: 0 });
    expect(m.events()).toHaveLength(1);
    expect(m.events()[0]!.images).toHaveLength(1500);

    // Unread, a burst settles by itself a moment later.
    await m.apply('revoke', [burst[0]!]);
    writes = 0;
    m.noteImageAdded(burst[1500]!);
    await new Promise((r) => setTimeout(r, 120));
    expect(writes).toBe(2);
    expect(m.isLicensed(burst[1500]!)).toBe(true);
  });
});
