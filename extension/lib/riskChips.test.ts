import { describe, expect, it } from 'vitest';
import { fakeImage } from '../testing/fakeHelper';
import { riskChips } from './riskChips';

const none = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
const shown = (chips: ReturnType<typeof riskChips>) => chips.map((c) => `${c.short}:${c.value ?? c.state}`);

describe('riskChips', () => {
  it('counts what a scan found, in words where there is room', () => {
    const image = fakeImage(1, { scanStatus: 'scanned', securityStatus: 'at_risk', lastScanned: '2026-01-01T00:00:00Z', risks: { vulnerabilities: { ...none, critical: 3, high: 1 }, viruses: 1, trojans: 2, sensitive: 0 } });
    const chips = riskChips(image);
    expect(shown(chips)).toEqual(['C:3', 'H:1', 'V:1', 'T:2', 'S:0']);
    expect(chips.map((c) => c.long)).toEqual(['critical', 'high', 'virus', 'trojans', 'sensitive']);
    expect(chips[0]!.title).toBe('3 critical vulnerabilities');
  });

  it('never shows a reassuring 0 before a scan, while scanning, or for a category that was not checked', () => {
    expect(shown(riskChips(fakeImage(1)))).toEqual(['C:unknown', 'H:unknown', 'V:unknown', 'T:unknown', 'S:unknown']);
    const scanning = fakeImage(2, { scanStatus: 'scanning', securityStatus: 'safe', lastScanned: '2026-01-01T00:00:00Z' });
    expect(shown(riskChips(scanning))).toEqual(['C:unknown', 'H:unknown', 'V:unknown', 'T:unknown', 'S:unknown']);
    const gap = fakeImage(3, { scanStatus: 'scanned', securityStatus: 'incomplete', lastScanned: '2026-01-01T00:00:00Z', notChecked: [{ category: 'vulnerabilities', reason: 'no vulnerability data' }] });
    const chips = riskChips(gap);
    expect(shown(chips)).toEqual(['C:not_checked', 'H:not_checked', 'V:0', 'T:0', 'S:0']);
    expect(chips[0]!.title).toBe('critical vulnerabilities: not checked (no vulnerability data)');
  });
});
