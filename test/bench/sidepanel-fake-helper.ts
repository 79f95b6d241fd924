/**
 * A stand-in helper for `pnpm bench sidepanel`: a Node HTTP server on loopback answering the
 * routes the side panel calls with a synthetic inventory of N images (1,000 by default). Every
 * answer is built from the shared contract and checked with its zod schema at start, so the
 * extension's own validation runs on real-shaped data. No Docker, no disk: the figure is the
 * extension's, not the helper's. Filters, sorting and paging follow GET /api/images.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ColumnsSettings,
  Dashboard,
  DataUpdateStatus,
  Health,
  ImageList,
  ImageSummary,
  ScanTaskList,
  defaultImageColumns,
  type ImageSummary as Image,
} from '@shipshape/shared';

export const FAKE_TOKEN = 'bench-token-0123456789abcdef';

/** A varied list: some at risk, some scanning, some incomplete, most scanned. */
export function syntheticImages(count: number): Image[] {
  const at = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, (_, n) => {
    const hex = n.toString(16).padStart(8, '0');
    const atRisk = n % 4 === 0;
    const scanning = n % 25 === 3;
    const incomplete = n % 50 === 7;
    const risks = {
      vulnerabilities: { critical: atRisk ? n % 3 : 0, high: atRisk ? n % 7 : 0, medium: n % 5, low: n % 2, unknown: 0 },
      viruses: n % 40 === 0 ? 1 : 0,
      trojans: n % 120 === 0 ? 1 : 0,
      sensitive: n % 16 === 0 ? 2 : 0,
    };
    return ImageSummary.parse({
      id: `sha256:${hex.repeat(8)}`,
      shortId: hex.repeat(2).slice(0, 12),
      repoTags: [`bench/service-${n}:1.${n % 10}`],
      repoDigests: [],
      name: `bench/service-${n}:1.${n % 10}`,
      size: 5_000_000 + n * 37_000,
      created: new Date(at - n * 3_600_000).toISOString(),
      os: 'linux',
      architecture: 'amd64',
      author: '',
      layerCount: 3 + (n % 9),
      containers: { running: n % 11 === 0 ? 1 : 0, total: n % 11 === 0 ? 2 : 0 },
      lastScanned: scanning ? null : new Date(at + n * 1000).toISOString(),
      scanStatus: scanning ? 'scanning' : 'scanned',
      scanError: null,
      securityStatus: scanning ? 'unknown' : atRisk ? 'at_risk' : incomplete ? 'incomplete' : 'safe',
      notChecked: incomplete ? [{ category: 'malware', reason: 'clamd did not answer' }] : [],
      risks: scanning ? { vulnerabilities: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 }, viruses: 0, trojans: 0, sensitive: 0 } : risks,
      highPriority: atRisk && n % 3 !== 0,
      priorityScore: atRisk ? 10 + (n % 90) : 0,
      serverId: 'local',
    });
  });
}

function riskOrder(image: Image): number[] {
  const v = image.risks.vulnerabilities;
  return [image.risks.viruses + image.risks.trojans, v.critical, v.high, image.risks.sensitive, v.medium, v.low, v.unknown];
}

function compare(a: Image, b: Image, sort: string): number {
  switch (sort) {
    case 'name':
      return a.name.localeCompare(b.name);
    case 'size':
      return a.size - b.size;
    case 'lastScanned':
      return (a.lastScanned ?? '').localeCompare(b.lastScanned ?? '');
    case 'risk': {
      const [x, y] = [riskOrder(a), riskOrder(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return 0;
    }
    default:
      return a.created.localeCompare(b.created);
  }
}

export type FakeHelper = { url: string; token: string; images: Image[]; requests: string[]; close(): Promise<void> };

export async function startFakeHelper(count = 1000): Promise<FakeHelper> {
  const images = syntheticImages(count);
  const requests: string[] = [];
  const sum = (pick: (i: Image) => number) => images.reduce((total, image) => total + pick(image), 0);
  const severities = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
  const vulnerabilities = Object.fromEntries(severities.map((s) => [s, sum((i) => i.risks.vulnerabilities[s])])) as Record<(typeof severities)[number], number>;
  const answers = {
    health: Health.parse({
      status: 'ok',
      version: '0.0.0-bench',
      docker: { reachable: true, version: '20.10' },
      vulnerabilityData: { present: true, records: 1234, updatedAt: new Date().toISOString(), sources: [{ name: 'osv:npm', records: 1234, updatedAt: new Date().toISOString() }] },
    }),
    dashboard: Dashboard.parse({
      totalImages: images.length,
      imagesAtRisk: images.filter((i) => i.securityStatus === 'at_risk').length,
      imagesIncomplete: images.filter((i) => i.securityStatus === 'incomplete').length,
      highPriorityImages: images.filter((i) => i.highPriority).length,
      vulnerabilities: { ...vulnerabilities, total: Object.values(vulnerabilities).reduce((a, b) => a + b, 0) },
      viruses: sum((i) => i.risks.viruses),
      trojans: sum((i) => i.risks.trojans),
      sensitive: sum((i) => i.risks.sensitive),
      lastScanTime: new Date().toISOString(),
    }),
    columns: ColumnsSettings.parse({ columns: defaultImageColumns }),
    scans: ScanTaskList.parse({ items: [] }),
    dataUpdate: DataUpdateStatus.parse({ running: false, phase: null, done: 0, total: 0, startedAt: null, lastResult: null }),
  };

  function list(query: URLSearchParams): ImageList {
    const q = query.get('q')?.toLowerCase();
    let rows = images.filter(
      (i) =>
        (!q || i.name.toLowerCase().includes(q)) &&
        (!query.get('scanStatus') || i.scanStatus === query.get('scanStatus')) &&
        (!query.get('securityStatus') || i.securityStatus === query.get('securityStatus')) &&
        (query.get('highPriority') !== 'true' || i.highPriority),
    );
    const sign = query.get('order') === 'asc' ? 1 : -1;
    const sort = query.get('sort') ?? 'created';
    rows = rows.sort((a, b) => sign * compare(a, b, sort) || a.id.localeCompare(b.id));
    const offset = Number(query.get('offset') ?? 0);
    const limit = Math.min(500, Number(query.get('limit') ?? 100));
    return { total: rows.length, items: rows.slice(offset, offset + limit) };
  }

  function answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/api/health') return send(200, answers.health);
    if (req.headers.authorization !== `Bearer ${FAKE_TOKEN}`) return send(401, { error: { code: 'unauthorized', message: 'A valid token is required.' } });
    switch (url.pathname) {
      case '/api/dashboard':
        return send(200, answers.dashboard);
      case '/api/images':
        return send(200, list(url.searchParams));
      case '/api/settings/columns':
        return send(200, answers.columns);
      case '/api/scans':
        return send(200, answers.scans);
      case '/api/data-update':
        return send(200, answers.dataUpdate);
      case '/api/events':
        // The stream stays open, as the helper's does; nothing happens during the measurement.
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(`event: ready\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`);
        return;
      default:
        return send(404, { error: { code: 'not_found', message: `No route ${req.method} ${url.pathname}` } });
    }
  }

  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token: FAKE_TOKEN,
    images,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
