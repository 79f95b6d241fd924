import type { DataUpdateStatus, DockerContext, Engine, HostRiskHistory, IgnoreItem, ImageRiskPoint, ImageSummary, Server, Vulnerability, ScheduledScanState, ScanTask, VulnerabilityDataStatus } from '@shipshape/shared';

/**
 * An in-memory stand-in for the helper's HTTP API, for component tests: it answers through a
 * `fetch` function so the real API client (and its schema checks) runs. It records requests.
 */
export type Recorded = { method: string; path: string; query: URLSearchParams; body: unknown; auth: string | null };

export function fakeImage(n: number, patch: Partial<ImageSummary> = {}): ImageSummary {
  const hex = n.toString(16).padStart(4, '0');
  return {
    id: `sha256:${hex.repeat(16)}`,
    shortId: hex.repeat(3),
    repoTags: [`app-${n}:latest`],
    repoDigests: [],
    name: `app-${n}:latest`,
    size: 1_000_000 + n,
    created: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
    os: 'linux',
    architecture: 'amd64',
    author: '',
    layerCount: 3,
    containers: { running: 0, total: 0 },
    lastScanned: null,
    scanStatus: 'not_scanned',
    scanError: null,
    securityStatus: 'unknown',
    notChecked: [],
    risks: { vulnerabilities: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 }, viruses: 0, trojans: 0, sensitive: 0 },
    highPriority: false,
    priorityScore: 0,
    serverId: 'local',
    servers: ['local'],
    ...patch,
  };
}

export function fakeServer(name: string, patch: Partial<Server> = {}): Server {
  return {
    id: name,
    name,
    hostname: `${name}-host`,
    endpoint: name === 'local' ? 'unix:///var/run/docker.sock' : `tcp://10.0.0.${name.length}:2376`,
    kind: name === 'local' ? 'unix' : 'tcp',
    context: null,
    ipAddresses: [`10.0.0.${name.length}`],
    dockerVersion: '20.10.24',
    os: 'Debian GNU/Linux 12',
    online: true,
    message: null,
    imageCount: 0,
    containerCount: 0,
    ...patch,
  };
}

export function fakeVulnerability(id: string, severity: Vulnerability['severity'], pkg = 'openssl'): Vulnerability {
  return {
    id,
    aliases: [],
    summary: `${pkg} issue ${id}`,
    details: 'A flaw lets a remote attacker do harm.',
    severity,
    cvss: { score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    package: { ecosystem: 'Debian', name: pkg, version: '1.0', purl: `pkg:deb/debian/${pkg}@1.0` },
    fixedVersions: ['1.1'],
    fixStatus: 'fixed',
    fixCommand: `apt-get install --only-upgrade ${pkg}`,
    references: ['https://example.org/advisory'],
    published: null,
    modified: null,
    layer: { diffId: 'sha256:' + 'b'.repeat(64), createdBy: 'RUN apt-get install openssl' },
    tags: ['fixable'],
  };
}

type Options = {
  images?: ImageSummary[];
  dockerReachable?: boolean;
  down?: boolean;
  token?: string;
  vulnerabilities?: Vulnerability[];
  /** What health says of the vulnerability data (default: present and fresh). */
  vulnData?: Partial<VulnerabilityDataStatus>;
  /** The dashboard's last scan (default: none yet). */
  lastScanTime?: string | null;
  /** How a data update ends (default: it brings data, and every incomplete image becomes safe). */
  dataUpdateFails?: string;
  servers?: Server[];
  contexts?: DockerContext[];
  /** GET /api/images/:id/risk-history (every image) and GET /api/risk-history. */
  imageRiskHistory?: ImageRiskPoint[];
  hostRiskHistory?: HostRiskHistory;
};

const freshData = (): VulnerabilityDataStatus => ({
  present: true,
  records: 1234,
  updatedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
  sources: [{ name: 'osv:npm', records: 1234, updatedAt: new Date(Date.now() - 3 * 86_400_000).toISOString() }],
  stale: false,
  autoUpdate: 'daily',
  updating: false,
});

export function fakeHelper(options: Options = {}) {
  const token = options.token ?? 'test-token';
  const images = options.images ?? [];
  const requests: Recorded[] = [];
  const vulnerabilities = options.vulnerabilities ?? [];
  const servers = options.servers ?? [fakeServer('local', { imageCount: images.length })];
  const contexts = options.contexts ?? [];
  const engines = (): Engine[] =>
    servers.map((s) => ({ name: s.name, endpoint: s.endpoint, kind: s.kind, tls: s.kind === 'tcp', context: s.context, source: s.name === 'local' ? 'default' : s.context ? 'added' : 'config', hostKey: null, online: s.online, message: s.message }));
  function listServers(query: URLSearchParams) {
    const status = query.get('status');
    const q = query.get('q')?.toLowerCase();
    return servers.filter((s) => (!status || s.online === (status === 'online')) && (!q || [s.name, s.dockerVersion ?? '', s.os ?? '', ...s.ipAddresses].some((f) => f.toLowerCase().includes(q))));
  }
  let columns = ['name', 'size', 'scanStatus', 'securityStatus', 'critical', 'high', 'lastScanned'];
  let schedule: ScheduledScanState = {
    settings: { enabled: false, frequency: 'daily', startTime: '02:00', endTime: null, categories: ['vulnerabilities', 'sensitive', 'malware'], images: 'all' },
    nextRun: null,
    runs: [],
  };
  const ignores: IgnoreItem[] = [];
  const licensed = new Set<string>();
  const licenseEvents: Array<{ at: string; action: string; images: string[] }> = [];
  const licenseState = () => ({ poolSize: 10, autoLicense: false, used: licensed.size, available: 10 - licensed.size, licensed: [...licensed] });
  const pairing = { state: 'pending' as 'pending' | 'approved' | 'rejected' };
  let vulnData: VulnerabilityDataStatus = { ...freshData(), ...options.vulnData };
  let dataUpdate: DataUpdateStatus = { running: false, phase: null, done: 0, total: 0, startedAt: null, lastResult: null, sources: [], trigger: null };
  const uploads: Array<{ name: string; size: number }> = [];
  /** A data update, done at once: data arrives (images left incomplete for want of it become safe), or it fails with the reason given. */
  const runDataUpdate = (request: { source?: string; mirror?: string }) => {
    const at = new Date().toISOString();
    const failed = options.dataUpdateFails;
    if (!failed) {
      vulnData = { ...freshData(), updatedAt: at, sources: [{ name: 'osv:npm', records: 1234, updatedAt: at }] };
      for (const image of images) {
        if (image.securityStatus !== 'incomplete') continue;
        image.notChecked = image.notChecked.filter((n) => n.category !== 'vulnerabilities');
        if (image.notChecked.length === 0) image.securityStatus = 'safe';
      }
    }
    const source = request.source ?? request.mirror ?? 'osv.dev';
    const result = { startedAt: at, finishedAt: at, outcome: failed ? ('error' as const) : ('success' as const), reason: failed ?? null, rematched: images.length, changedImages: 0, vulnDb: failed ? null : { advisories: 1234, source }, phaseSeconds: {}, sources: [], trigger: 'manual' as const };
    dataUpdate = { ...dataUpdate, startedAt: at, lastResult: result };
    return json(dataUpdate, 202);
  };
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const error = (status: number, code: string, message: string) => json({ error: { code, message } }, status);

  const find = (id: string) => images.find((i) => i.id === id || i.id.replace('sha256:', '').startsWith(id.replace('sha256:', '')));

  function listImages(query: URLSearchParams) {
    let rows = images.slice();
    const q = query.get('q')?.toLowerCase();
    if (q) rows = rows.filter((i) => i.name.toLowerCase().includes(q) || i.id.includes(q));
    const scanStatus = query.get('scanStatus');
    if (scanStatus) rows = rows.filter((i) => i.scanStatus === scanStatus);
    const securityStatus = query.get('securityStatus');
    if (securityStatus) rows = rows.filter((i) => i.securityStatus === securityStatus);
    if (query.get('highPriority') === 'true') rows = rows.filter((i) => i.highPriority);
    const risk = query.get('risk');
    const v = (i: ImageSummary) => Object.values(i.risks.vulnerabilities).reduce((a, b) => a + b, 0);
    if (risk) rows = rows.filter((i) => (risk === 'vulnerabilities' ? v(i) : i.risks[risk as 'viruses' | 'trojans' | 'sensitive']) > 0);
    const server = query.get('server');
    if (server) rows = rows.filter((i) => i.servers.includes(server));
    const sort = query.get('sort') ?? 'created';
    const sign = query.get('order') === 'asc' ? 1 : -1;
    const key = (i: ImageSummary) => (sort === 'name' ? i.name : sort === 'size' ? i.size : sort === 'risk' ? i.priorityScore : i.created);
    rows.sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : 0));
    const offset = Number(query.get('offset') ?? 0);
    const limit = Math.min(500, Number(query.get('limit') ?? 100));
    return { total: rows.length, items: rows.slice(offset, offset + limit) };
  }

  function task(imageIds: string[]): ScanTask {
    return {
      id: 'task-1', trigger: 'manual', state: 'running', categories: ['vulnerabilities'], createdAt: new Date().toISOString(), finishedAt: null,
      total: imageIds.length, done: 0, succeeded: 0, failed: 0, cancelled: 0, skipped: 0, atRisk: 0, percent: 0, etaSeconds: null, images: [],
    };
  }

  const fetchImpl: typeof fetch = async (input, init = {}) => {
    if (options.down) throw new TypeError('Failed to fetch');
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const headers = new Headers(init.headers);
    const isJson = (headers.get('content-type') ?? '').includes('json');
    const body = init.body && isJson ? JSON.parse(String(init.body)) : init.body;
    requests.push({ method, path: url.pathname, query: url.searchParams, body, auth: headers.get('authorization') });
    const path = url.pathname;
    if (path === '/api/health') return json({ status: 'ok', version: '0.1.0', docker: { reachable: options.dockerReachable ?? true, version: '20.10' }, vulnerabilityData: vulnData });
    if (path === '/api/pair/request') return json({ requestId: 'ab'.repeat(16), code: 'K7M4QX', expiresAt: new Date(Date.now() + 300_000).toISOString() }, 201);
    if (path === '/api/pair/status') return json(pairing.state === 'approved' ? { state: 'approved', token } : { state: pairing.state });
    if (headers.get('authorization') !== `Bearer ${token}`) return error(401, 'unauthorized', 'A valid token is required.');
    if (options.dockerReachable === false) return error(503, 'docker_unavailable', 'Docker does not answer.');
    const detail = /^\/api\/images\/([^/]+)(?:\/([\w-]+))?$/.exec(path);
    if (path === '/api/risk-history') return json(options.hostRiskHistory ?? { days: [], latest: null, previous: null });
    if (path === '/api/dashboard') {
      return json({
        totalImages: images.length, imagesAtRisk: images.filter((i) => i.securityStatus === 'at_risk').length,
        imagesIncomplete: images.filter((i) => i.securityStatus === 'incomplete').length, highPriorityImages: 0,
        vulnerabilities: { critical: 1, high: 2, medium: 0, low: 0, unknown: 0, total: 3 }, viruses: 1, trojans: 0, sensitive: 2, lastScanTime: options.lastScanTime ?? null,
      });
    }
    if (path === '/api/images') return json(listImages(url.searchParams));
    if (path === '/api/servers') return json({ items: listServers(url.searchParams) });
    if (path === '/api/engines/contexts') return json({ items: contexts.map((c) => ({ ...c, engine: servers.find((s) => s.context === c.name)?.name ?? null })) });
    if (path === '/api/engines' && method === 'POST') {
      const request = body as { name: string; context?: string };
      if (servers.some((s) => s.name === request.name)) return error(400, 'bad_request', `an engine named '${request.name}' exists already`);
      const context = contexts.find((c) => c.name === request.context);
      if (!context) return error(400, 'bad_request', `no Docker context named '${request.context}'`);
      servers.push(fakeServer(request.name, { context: context.name, endpoint: context.endpoint }));
      return json(engines().at(-1), 201);
    }
    if (path === '/api/engines') return json({ items: engines() });
    const engine = /^\/api\/engines\/([^/]+)$/.exec(path);
    if (engine && method === 'DELETE') {
      const index = servers.findIndex((s) => s.name === decodeURIComponent(engine[1]!));
      servers.splice(index, 1);
      return json({ removed: decodeURIComponent(engine[1]!) });
    }
    if (path === '/api/settings/columns') {
      if (method === 'PUT') columns = (body as { columns: string[] }).columns;
      return json({ columns });
    }
    if (path === '/api/settings/scheduled-scan') {
      if (method === 'PUT') schedule = { ...schedule, settings: body as ScheduledScanState['settings'], nextRun: '2030-01-02T02:00:00.000Z' };
      return json(schedule);
    }
    if (path === '/api/scans' && method === 'POST') {
      const selection = (body as { images: string[] | 'all' }).images;
      return json(task(selection === 'all' ? images.map((i) => i.id) : selection), 201);
    }
    if (path === '/api/scans') return json({ items: [] });
    if (path === '/api/scans/cancel') return json({ cancelled: (body as { images?: string[] }).images?.length ?? 0 });
    if (path === '/api/licenses' && method === 'POST') {
      const request = body as { images: string[]; action: 'assign' | 'revoke' };
      const event = { at: new Date().toISOString(), action: request.action, images: request.images };
      licenseEvents.unshift(event);
      for (const id of request.images) request.action === 'assign' ? licensed.add(id) : licensed.delete(id);
      return json({ state: licenseState(), event, rejected: [] });
    }
    if (path === '/api/licenses') return json(licenseState());
    if (path === '/api/licenses/events') return json({ items: licenseEvents });
    if (path === '/api/data-update' && method === 'POST') return runDataUpdate((body ?? {}) as { source?: string; mirror?: string });
    if (path === '/api/data-update') return json(dataUpdate);
    if (path === '/api/data-update/import' && method === 'POST') {
      const name = url.searchParams.get('name') ?? '';
      uploads.push({ name, size: (body as Blob).size });
      return runDataUpdate({ source: name });
    }
    if (path === '/api/ignores' && method === 'POST') {
      const request = body as Pick<IgnoreItem, 'target' | 'reason' | 'justification' | 'note' | 'expiresAt'> & { image: string | null };
      const rule: IgnoreItem = { ...request, id: `ign${ignores.length + 1}`, image: request.image ? find(request.image)!.id : null, imageName: null, setBy: 'browser', createdAt: new Date().toISOString(), expired: false };
      ignores.push(rule);
      return json(rule, 201);
    }
    if (path === '/api/ignores') return json({ items: ignores });
    const ignoreId = /^\/api\/ignores\/(\w+)$/.exec(path)?.[1];
    if (ignoreId && method === 'DELETE') {
      const at = ignores.findIndex((i) => i.id === ignoreId);
      if (at < 0) return error(404, 'not_found', 'No such ignore.');
      ignores.splice(at, 1);
      return new Response(null, { status: 204 });
    }
    if (path === '/api/export') return new Response('name\nx\n', { headers: { 'content-disposition': 'attachment; filename="images.csv"' } });
    if (detail) {
      const image = find(decodeURIComponent(detail[1]!));
      if (!image) return error(404, 'not_found', 'No such image.');
      const base = { imageId: image.id, scanStatus: image.scanStatus, reportId: image.lastScanned ? 'r1' : null, scannedAt: image.lastScanned };
      switch (detail[2]) {
        case undefined:
          return json({ ...image, distro: { family: 'debian', version: '12' }, history: [], diffIds: [], env: [], labels: {} });
        case 'vulnerabilities': {
          const severity = url.searchParams.get('severity')?.split(',');
          const q = url.searchParams.get('q')?.toLowerCase();
          const coveredBy = (v: Vulnerability) => ignores.find((i) => i.target.kind === 'vulnerability' && i.target.id === v.id && (!i.image || i.image === image.id));
          const exploitedOnly = url.searchParams.get('knownExploited') === 'true';
          const items = vulnerabilities.filter((v) => !coveredBy(v) && (!severity || severity.includes(v.severity)) && (!q || v.id.toLowerCase().includes(q) || v.package.name.includes(q)) && (!exploitedOnly || v.knownExploited));
          const ignored = vulnerabilities.filter(coveredBy).map((v) => ({ item: v, ignore: coveredBy(v)! }));
          return json({ ...base, total: items.length, items, ignored });
        }
        case 'sensitive':
        case 'malware':
          return json({ ...base, total: 0, items: [] });
        case 'history':
          return json({ ...base, total: 1, items: [{ created: null, createdBy: 'RUN apt-get install openssl', size: 1000, comment: '', emptyLayer: false, diffId: null, introduced: { packages: 1, vulnerabilities: vulnerabilities.length, sensitive: 0, malware: 0 } }] });
        case 'containers':
          return json([]);
        case 'risk-history':
          return json({ imageId: image.id, items: options.imageRiskHistory ?? [] });
        case 'servers':
          return json({
            items: servers.filter((s) => image.servers.includes(s.name)).map((s) => ({ ...s, repoTags: image.repoTags, repoDigests: [], containers: { running: 0, total: 0 } })),
          });
      }
    }
    return error(404, 'not_found', `No route ${method} ${path}`);
  };

  return { fetch: fetchImpl, requests, pairing, token, images, uploads, ignores, servers, get columns() { return columns; }, get schedule() { return schedule; }, get vulnData() { return vulnData; } };
}
