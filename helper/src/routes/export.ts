/** GET /api/export?format=csv|xlsx: the image list (its filters, or `ids=`) with the chosen columns. */
import { ExportQuery } from '@shipshape/shared';
import { Hono } from 'hono';
import { toCsv, toXlsx, type ExportRow } from '../export/image-table.ts';
import { validQuery } from '../http/validate.ts';
import { filterImages, sortImages } from '../inventory/list.ts';
import type { ScanRouteDeps } from './scans-deps.ts';

export function exportRoutes({ store, inventory, scans }: ScanRouteDeps): Hono {
  const app = new Hono();
  app.get('/export', async (c) => {
    inventory.requireDocker();
    const { format, columns, ids, ...filters } = validQuery(c, ExportQuery);
    const wanted = ids?.map((id) => id.replace(/^sha256:/, ''));
    const records = wanted
      ? store.images().filter((r) => wanted.some((w) => r.inventory.id.replace(/^sha256:/, '').startsWith(w)))
      : filterImages(store.images(), { ...filters, offset: 0, limit: 500 });
    const rows: ExportRow[] = sortImages(records, filters.sort, filters.order).map((r) => ({
      image: inventory.summary(r),
      licensed: scans.licenses.isLicensed(r.inventory.id),
    }));
    const chosen = columns ?? scans.data.get().columns;
    const stamp = new Date().toISOString().slice(0, 10);
    if (format === 'xlsx') {
      const body = await toXlsx(rows, chosen);
      return c.body(new Uint8Array(body), 200, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="shipshape-images-${stamp}.xlsx"`,
      });
    }
    return c.body(toCsv(rows, chosen), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="shipshape-images-${stamp}.csv"` });
  });
  return app;
}
