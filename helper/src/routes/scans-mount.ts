/** Mounts every scan-side route module (scans, reports, settings, data update, licenses, export, events, ignores, VEX). */
import type { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import type { ScanServices } from '../scan/services.ts';
import { dataUpdateRoutes } from './data-update.ts';
import { eventsRoutes } from './events.ts';
import { exportRoutes } from './export.ts';
import { ignoresRoutes } from './ignores.ts';
import { licensesRoutes } from './licenses.ts';
import { reportsRoutes } from './reports.ts';
import { riskHistoryRoutes } from './risk-history.ts';
import { scansRoutes } from './scans.ts';
import { settingsRoutes } from './settings.ts';
import { vexRoutes } from './vex.ts';

export function mountScanRoutes(app: Hono, deps: AppDeps, scans: ScanServices): void {
  const d = { ...deps, scans };
  for (const routes of [scansRoutes, reportsRoutes, settingsRoutes, dataUpdateRoutes, licensesRoutes, exportRoutes, eventsRoutes, ignoresRoutes, vexRoutes, riskHistoryRoutes]) app.route('/api', routes(d));
}
