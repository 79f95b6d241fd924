import { describe, expect, it } from 'vitest';
import { CreateScanRequest, CancelScanRequest, VulnerabilityQuery } from './scans.ts';
import { ScheduledScanSettings, ExportQuery } from './settings.ts';
import { ServerEvent } from './events.ts';

describe('scan API schemas', () => {
  it('defaults categories to all three and accepts "all"', () => {
    expect(CreateScanRequest.parse({ images: 'all' })).toEqual({ images: 'all', categories: ['vulnerabilities', 'sensitive', 'malware'] });
    expect(CreateScanRequest.safeParse({ images: [] }).success).toBe(false);
    expect(CreateScanRequest.safeParse({ images: ['zz'] }).success).toBe(false);
  });
  it('cancel needs exactly one of images or task', () => {
    expect(CancelScanRequest.safeParse({ task: 't1' }).success).toBe(true);
    expect(CancelScanRequest.safeParse({}).success).toBe(false);
    expect(CancelScanRequest.safeParse({ task: 't1', images: ['abcd'] }).success).toBe(false);
  });
  it('parses severity lists and rejects unknown severities', () => {
    expect(VulnerabilityQuery.parse({ severity: 'critical,high', fixable: 'true' })).toMatchObject({ severity: ['critical', 'high'], fixable: true });
    expect(VulnerabilityQuery.safeParse({ severity: 'urgent' }).success).toBe(false);
  });
});

describe('settings schemas', () => {
  it('checks HH:MM times', () => {
    const ok = { enabled: true, frequency: 'daily', startTime: '02:00', endTime: '05:30' };
    expect(ScheduledScanSettings.parse(ok)).toMatchObject({ images: 'all' });
    expect(ScheduledScanSettings.safeParse({ ...ok, startTime: '25:00' }).success).toBe(false);
  });
  it('parses export columns and ids', () => {
    expect(ExportQuery.parse({ format: 'xlsx', columns: 'name,critical', ids: 'abcd,ef01' })).toMatchObject({ columns: ['name', 'critical'], ids: ['abcd', 'ef01'] });
    expect(ExportQuery.safeParse({ columns: 'name,colour' }).success).toBe(false);
  });
});

describe('events', () => {
  it('is a discriminated union on type', () => {
    expect(ServerEvent.parse({ type: 'image.removed', imageId: 'sha256:x' }).type).toBe('image.removed');
    expect(ServerEvent.safeParse({ type: 'image.exploded' }).success).toBe(false);
  });
});
