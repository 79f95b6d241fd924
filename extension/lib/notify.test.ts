import { describe, expect, it } from 'vitest';
import { imageOfNotification, isUrgent, notificationFor } from './notify';

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
  it('announces findings a data update made known-exploited, under an ID of its own that still opens the image', () => {
    const event = {
      type: 'risk.known_exploited' as const,
      imageId: 'sha256:abc',
      name: 'api:2',
      findings: [
        { id: 'DSA-5022-1', cve: 'CVE-2021-45046', package: 'liblog4j2-java 2.15.0-1~deb11u1', dateAdded: '2023-05-01' },
        { id: 'GHSA-x', cve: 'CVE-2021-44228', package: 'log4j-core 2.14.1', dateAdded: '2021-12-10' },
      ],
    };
    const spec = notificationFor(event);
    expect(spec).toEqual({
      id: 'kev:sha256:abc',
      title: 'Now known exploited: CVE-2021-45046 in api:2',
      message: 'DSA-5022-1 (liblog4j2-java 2.15.0-1~deb11u1): Known exploited (since 2023-05-01) by CISA. And 1 more finding(s). Update the package.',
    });
    expect(imageOfNotification(spec!.id)).toBe('sha256:abc');
    expect(isUrgent(event)).toBe(true);
    expect(notificationFor({ ...event, findings: [] })).toBeNull();
  });
  it('ignores progress events', () => {
    expect(notificationFor({ type: 'image.removed', imageId: 'x' })).toBeNull();
  });
});
