/** The scan-side routes over a fake Docker engine and a fake scanner: validation, answers, errors. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanTask } from '@shipshape/shared';
import { scanTestApp } from '../testing/scan-app.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function setup() {
  const t = await scanTestApp();
  closers.push(t.close);
  return { call: t.call, scans: t.scans };
}

describe('scan routes', () => {
  it('creates a task, answers its view, and serves the findings of the stored report', async () => {
    const { call, scans } = await setup();
    const created = await call<ScanTask>('/api/scans', { method: 'POST', body: { images: ['aaaa', 'sha256:' + 'a'.repeat(64)] } });
    expect(created.status).toBe(202);
    expect(created.body.total).toBe(1);
    await scans.engine.waitForTask(created.body.id);
    const view = await call<ScanTask>(`/api/scans/${created.body.id}`);
    expect(view.body).toMatchObject({ succeeded: 1, percent: 100 });
    const packages = await call<{ total: number; reportId: string | null }>('/api/images/aaaa/packages?q=lodash');
    expect(packages.body).toMatchObject({ total: 1, scanStatus: 'scanned' });
    expect(packages.body.reportId).not.toBeNull();
    const never = await call<{ total: number; reportId: string | null }>('/api/images/bbbb/vulnerabilities');
    expect(never.body).toMatchObject({ total: 0, reportId: null, scanStatus: 'not_scanned' });
    expect((await call('/api/images/bbbb/report?format=spdx')).status).toBe(404);
  });

  it('answers bad input with 400 naming the field, unknown things with 404', async () => {
    const { call } = await setup();
    expect((await call<{ error: { field: string } }>('/api/scans', { method: 'POST', body: { images: 'some' } })).body.error.field).toBe('images');
    expect((await call<{ error: { field: string } }>('/api/scans', { method: 'POST', body: { images: 'all', categories: ['viruses'] } })).body.error.field).toBe('categories.0');
    expect((await call('/api/scans', { method: 'POST', body: { images: ['cccc'] } })).status).toBe(404);
    expect((await call('/api/scans/cancel', { method: 'POST', body: {} })).status).toBe(400);
    expect((await call('/api/scans/cancel', { method: 'POST', body: { task: 'nope' } })).status).toBe(404);
    expect((await call('/api/scans/nope')).status).toBe(404);
    expect((await call<{ error: { field: string } }>('/api/images/aaaa/vulnerabilities?severity=urgent')).body.error.field).toBe('severity.0');
    expect((await call<{ error: { field: string } }>('/api/settings/scheduled-scan', { method: 'PUT', body: { enabled: true, frequency: 'hourly', startTime: '02:00' } })).body.error.field).toBe('frequency');
    expect((await call<{ error: { field: string } }>('/api/export?format=pdf')).body.error.field).toBe('format');
    expect((await call<{ error: { field: string } }>('/api/licenses', { method: 'POST', body: { images: ['aaaa'], action: 'steal' } })).body.error.field).toBe('action');
  });

  it('keeps settings: columns, scan queue, schedule', async () => {
    const { call } = await setup();
    expect((await call('/api/settings/columns', { method: 'PUT', body: { columns: ['name', 'critical', 'name'] } })).body).toEqual({ columns: ['name', 'critical'] });
    expect((await call('/api/settings/columns')).body).toEqual({ columns: ['name', 'critical'] });
    expect((await call('/api/settings/scan', { method: 'PUT', body: { concurrency: 2 } })).body).toEqual({ concurrency: 2, imageTimeoutSeconds: 3600 });
    const schedule = await call<{ nextRun: string | null; settings: { images: unknown } }>('/api/settings/scheduled-scan', { method: 'PUT', body: { enabled: true, frequency: '7d', startTime: '03:30' } });
    expect(schedule.body.settings.images).toBe('all');
    expect(schedule.body.nextRun).not.toBeNull();
  });
});
