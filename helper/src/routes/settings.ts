/** GET/PUT /api/settings/{scheduled-scan,columns,scan,licenses,detection}. */
import { ColumnsSettings, DetectionSettings, LicenseSettings, ScanEngineSettings, ScheduledScanSettings } from '@shipshape/shared';
import { Hono } from 'hono';
import { validJson } from '../http/validate.ts';
import { checkDetectionSettings } from './detection-check.ts';
import type { ScanRouteDeps } from './scans-deps.ts';

export function settingsRoutes({ scans }: ScanRouteDeps): Hono {
  const app = new Hono();
  app.get('/settings/scheduled-scan', (c) => c.json(scans.scheduler.view()));
  app.put('/settings/scheduled-scan', async (c) => c.json(scans.scheduler.update(await validJson(c, ScheduledScanSettings))));

  app.get('/settings/columns', (c) => c.json({ columns: scans.data.get().columns }));
  app.put('/settings/columns', async (c) => {
    const { columns } = await validJson(c, ColumnsSettings);
    const data = scans.data.update((d) => {
      d.columns = [...new Set(columns)];
    });
    return c.json({ columns: data.columns });
  });

  app.get('/settings/scan', (c) => c.json(scans.data.get().scanSettings));
  app.put('/settings/scan', async (c) => {
    const settings = await validJson(c, ScanEngineSettings);
    return c.json(scans.data.update((d) => (d.scanSettings = settings)).scanSettings);
  });

  app.get('/settings/detection', (c) => c.json(scans.data.get().detection));
  app.put('/settings/detection', async (c) => {
    const settings = await checkDetectionSettings(await validJson(c, DetectionSettings), scans.folders);
    const saved = scans.data.update((d) => (d.detection = settings)).detection;
    scans.loadDetection();
    return c.json(saved);
  });

  app.get('/settings/licenses', (c) => c.json(scans.licenses.state()));
  app.put('/settings/licenses', async (c) => c.json(scans.licenses.updateSettings(await validJson(c, LicenseSettings))));
  return app;
}
