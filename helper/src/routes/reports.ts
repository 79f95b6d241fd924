/**
 * An image's findings from its latest stored report: /vulnerabilities, /sensitive, /malware,
 * /packages, /history, and /report?format=json|sarif|cyclonedx|spdx; GET /api/images/:id/reports
 * lists the stored reports.
 */
import { MalwareQuery, PackageQuery, ReportFormatQuery, SensitiveQuery, VulnerabilityQuery, type ScanReport } from '@shipshape/shared';
import { Hono, type Context } from 'hono';
import { serializeReport } from '../export/report-formats.ts';
import { HttpError } from '../http/errors.ts';
import { resolveImageParam } from '../http/resolve-image.ts';
import { validQuery } from '../http/validate.ts';
import { inForce, splitReport, type SplitReport } from '../ignores/match.ts';
import { historyWithFindings, queryMalware, queryPackages, querySensitive, queryVulnerabilities } from '../scan/findings.ts';
import type { ImageRecord } from '../state/schema.ts';
import type { ScanRouteDeps } from './scans-deps.ts';

export function reportsRoutes(deps: ScanRouteDeps): Hono {
  const app = new Hono();
  const { store, scans } = deps;

  /** The image and its latest report (null before any scan). */
  const latest = async (c: Context): Promise<{ record: ImageRecord; report: ScanReport | null; meta: { imageId: string; scanStatus: ImageRecord['scan']['scanStatus']; reportId: string | null; scannedAt: string | null } }> => {
    const record = resolveImageParam(c, store.images());
    const entry = scans.state.image(record.inventory.id)?.scan.reports?.[0] ?? null;
    const report = entry ? await scans.reports.load(entry.id) : null;
    return {
      record,
      report,
      meta: { imageId: record.inventory.id, scanStatus: record.scan.scanStatus, reportId: report ? entry!.id : null, scannedAt: report ? entry!.scannedAt : null },
    };
  };
  const empty = { total: 0, items: [], ignored: [] };
  /** The latest report split by the ignores in force now: lists and counts show `active`, `ignored` apart. */
  const split = (record: ImageRecord, report: ScanReport): SplitReport => {
    const image = { id: record.inventory.id, digests: record.inventory.repoDigests };
    return splitReport(report, inForce(scans.ignores.rules(), image, scans.ignores.now()));
  };

  app.get('/images/:id/vulnerabilities', async (c) => {
    const query = validQuery(c, VulnerabilityQuery);
    const { record, report, meta } = await latest(c);
    if (!report) return c.json({ ...meta, ...empty });
    const { active, ignored } = split(record, report);
    return c.json({ ...meta, ...queryVulnerabilities(active, query), ignored: ignored.vulnerabilities });
  });
  app.get('/images/:id/sensitive', async (c) => {
    const query = validQuery(c, SensitiveQuery);
    const { record, report, meta } = await latest(c);
    if (!report) return c.json({ ...meta, ...empty });
    const { active, ignored } = split(record, report);
    return c.json({ ...meta, ...querySensitive(active, query), ignored: ignored.sensitive });
  });
  app.get('/images/:id/malware', async (c) => {
    const query = validQuery(c, MalwareQuery);
    const { record, report, meta } = await latest(c);
    if (!report) return c.json({ ...meta, ...empty });
    const { active, ignored } = split(record, report);
    return c.json({ ...meta, ...queryMalware(active, query), ignored: ignored.malware });
  });
  app.get('/images/:id/packages', async (c) => {
    const query = validQuery(c, PackageQuery);
    const { report, meta } = await latest(c);
    return c.json({ ...meta, ...(report ? queryPackages(report, query) : empty) });
  });
  app.get('/images/:id/history', async (c) => {
    validQuery(c, ReportFormatQuery.pick({}).strict());
    const { record, report, meta } = await latest(c);
    const items = historyWithFindings(record.inventory.history, report && split(record, report).active);
    return c.json({ ...meta, total: items.length, items });
  });
  app.get('/images/:id/reports', (c) => {
    const record = resolveImageParam(c, store.images());
    return c.json({ items: scans.state.image(record.inventory.id)?.scan.reports ?? [] });
  });
  app.get('/images/:id/report', async (c) => {
    const { format } = validQuery(c, ReportFormatQuery);
    const { record, report } = await latest(c);
    if (!report) throw new HttpError(404, 'not_found', `image ${record.inventory.id.slice(7, 19)} has no scan report yet`, 'id');
    // SARIF lists ignored findings as suppressed results; the other formats are the stored report as scanned.
    const suppressed = format === 'sarif' ? split(record, report) : null;
    const { body, contentType } = suppressed ? serializeReport(suppressed.active, format, deps.version, suppressed.ignored) : serializeReport(report, format, deps.version);
    const name = `${(record.inventory.repoTags[0] ?? record.inventory.id.slice(7, 19)).replace(/[^A-Za-z0-9._-]+/g, '_')}.${format}.json`;
    return c.body(body, 200, { 'Content-Type': contentType, 'Content-Disposition': `attachment; filename="${name}"` });
  });
  return app;
}
