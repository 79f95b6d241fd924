/**
 * Risk over time: GET /api/images/:id/risk-history (the image's counts per scan, oldest first)
 * and GET /api/risk-history?days=30 (the host per day, and the two latest snapshots).
 */
import { RiskHistoryQuery, type HostRiskHistory, type ImageRiskHistory } from '@shipshape/shared';
import { Hono } from 'hono';
import { resolveImageParam } from '../http/resolve-image.ts';
import { validQuery } from '../http/validate.ts';
import type { ScanRouteDeps } from './scans-deps.ts';

export function riskHistoryRoutes({ store, scans }: ScanRouteDeps): Hono {
  const app = new Hono();
  app.get('/images/:id/risk-history', (c) => {
    validQuery(c, RiskHistoryQuery.pick({}).strict());
    const record = resolveImageParam(c, store.images());
    const body: ImageRiskHistory = { imageId: record.inventory.id, items: scans.history.image(record.inventory.id) };
    return c.json(body);
  });
  app.get('/risk-history', (c) => {
    const { days } = validQuery(c, RiskHistoryQuery);
    const body: HostRiskHistory = scans.history.host(days, scans.now());
    return c.json(body);
  });
  return app;
}
