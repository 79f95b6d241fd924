/**
 * GET /api/dashboard: totals over the images on every engine (an image ID held by several
 * engines counts once), and the same totals per engine in `servers`.
 */
import type { Dashboard, DashboardTotals } from '@shipshape/shared';
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import type { ImageRecord } from '../state/schema.ts';

export function dashboardRoutes({ store, inventory }: AppDeps): Hono {
  const app = new Hono();
  app.get('/dashboard', (c) => {
    const records = store.images();
    const body: Dashboard = {
      ...summarise(records),
      servers: inventory.watchers().map((w) => ({
        server: w.name,
        online: w.status.online,
        containers: w.allContainers().length,
        ...summarise(records.filter((r) => r.engines[w.name])),
      })),
    };
    return c.json(body);
  });
  return app;
}

export function summarise(records: ImageRecord[]): DashboardTotals {
  const dashboard: DashboardTotals = {
    totalImages: records.length,
    imagesAtRisk: 0,
    imagesIncomplete: 0,
    highPriorityImages: 0,
    vulnerabilities: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, total: 0 },
    viruses: 0,
    trojans: 0,
    sensitive: 0,
    lastScanTime: null,
  };
  for (const { scan } of records) {
    if (scan.securityStatus === 'at_risk') dashboard.imagesAtRisk++;
    if (scan.securityStatus === 'incomplete') dashboard.imagesIncomplete++;
    if (scan.highPriority) dashboard.highPriorityImages++;
    const v = scan.risks.vulnerabilities;
    for (const severity of ['critical', 'high', 'medium', 'low', 'unknown'] as const) {
      dashboard.vulnerabilities[severity] += v[severity];
      dashboard.vulnerabilities.total += v[severity];
    }
    dashboard.viruses += scan.risks.viruses;
    dashboard.trojans += scan.risks.trojans;
    dashboard.sensitive += scan.risks.sensitive;
    if (scan.lastScanned && (!dashboard.lastScanTime || scan.lastScanned > dashboard.lastScanTime)) dashboard.lastScanTime = scan.lastScanned;
  }
  return dashboard;
}
