import { describe, expect, it } from 'vitest';
import { imageOfNotification, notificationFor } from './notify';

const risks = { vulnerabilities: { critical: 2, high: 1, medium: 0, low: 0, unknown: 0 }, viruses: 1, trojans: 0, sensitive: 0 };

describe('notificationFor', () => {
  it('summarises a finished task', () => {
    const spec = notificationFor({
      type: 'scan.finished',
      task: { id: 't1', trigger: 'manual', state: 'finished', categories: ['malware'], createdAt: '', finishedAt: '', total: 3, done: 3, succeeded: 2, failed: 1, cancelled: 0, skipped: 0, atRisk: 1, percent: 100, etaSeconds: 0 },
    });
    expect(spec).toEqual({ id: 'task:t1', title: 'Scan finished', message: '2 of 3 image(s) scanned, 1 at risk, 1 failed' });
  });
  it('names the image of a high-priority risk so a click can open it', () => {
    const spec = notificationFor({ type: 'risk.high_priority', imageId: 'sha256:abc', name: 'web:1', priorityScore: 80, risks, reasons: [] });
    expect(spec?.title).toBe('High-priority risk in web:1');
    expect(spec?.message).toBe('2 critical, 1 high, 1 malware');
    expect(imageOfNotification(spec!.id)).toBe('sha256:abc');
    expect(imageOfNotification('task:t1')).toBeNull();
  });
  it('ignores progress events', () => {
    expect(notificationFor({ type: 'image.removed', imageId: 'x' })).toBeNull();
  });
});
