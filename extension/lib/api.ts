import {
  Dashboard,
  Health,
  ImageDetail,
  ImageList,
  ContainerSummary,
  ServerList,
  ImageServer,
  Engine,
  EngineList,
  DockerContextList,
  PairRequestAnswer,
  PairStatusAnswer,
  ScanTask,
  ScanTaskList,
  CancelScanResponse,
  VulnerabilityList,
  SensitiveList,
  MalwareList,
  PackageList,
  HistoryList,
  ScheduledScanState,
  ColumnsSettings,
  DataUpdateStatus,
  DataUpdateSettingsView,
  LicenseState,
  LicenseResponse,
  LicenseEventList,
  ImageRiskHistory,
  HostRiskHistory,
  IgnoreItem,
  IgnoreList,
  type CreateIgnoreRequest,
  type ImageListQuery,
  type CreateScanRequest,
  type CancelScanRequest,
  type ScheduledScanSettings,
  type ImageColumn,
  type LicenseRequest,
  type DataUpdateRequest,
  type DataUpdateSettings,
  type AddEngineRequest,
} from '@shipshape/shared';
import { ApiFailure, failureFromResponse } from './failure';
import { readSse, type SseMessage } from './sse';

/** Anything with zod's `parse`: every answer is checked against the shared contract. */
type Schema<T> = { parse(value: unknown): T };

export type Connection = { helperUrl: string; token: string | null };

type Query = Record<string, string | number | boolean | undefined | null>;

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

const arrayOf = <T>(item: Schema<T>): Schema<T[]> => ({
  parse(value) {
    if (!Array.isArray(value)) throw new Error('expected a list');
    return value.map((v) => item.parse(v));
  },
});

/** The helper's lists come bare or as `{ items }`; accept both. */
const listOf = <T>(item: Schema<T>): Schema<T[]> => ({
  parse(value) {
    const items = value && typeof value === 'object' && 'items' in value ? (value as { items: unknown }).items : value;
    return arrayOf(item).parse(items);
  },
});

/**
 * Typed client of the helper's HTTP API. The connection is read on every call so that a new
 * pairing or helper URL applies at once. Every answer is validated with the shared schemas.
 */
export function createApi(connection: () => Connection, fetchImpl: typeof fetch = (...args) => fetch(...args)) {
  async function send(path: string, init: RequestInit = {}, auth = true): Promise<Response> {
    const { helperUrl, token } = connection();
    if (auth && !token) throw new ApiFailure('unauthorized', 'This browser is not paired with the helper yet.');
    const headers = new Headers(init.headers);
    if (auth && token) headers.set('authorization', `Bearer ${token}`);
    if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    let response: Response;
    try {
      response = await fetchImpl(`${helperUrl.replace(/\/+$/, '')}${path}`, { ...init, headers });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new ApiFailure('helper_down', `The helper does not answer at ${helperUrl}.`);
    }
    if (!response.ok) throw await failureFromResponse(response);
    return response;
  }

  async function call<T>(schema: Schema<T>, path: string, init?: RequestInit, auth = true): Promise<T> {
    const response = await send(path, init, auth);
    return schema.parse(await response.json());
  }

  const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });
  const put = (body: unknown): RequestInit => ({ method: 'PUT', body: JSON.stringify(body) });
  const enc = encodeURIComponent;

  return {
    send,
    call,
    post,
    put,
    health: () => call(Health, '/api/health', {}, false),
    pairRequest: () => call(PairRequestAnswer, '/api/pair/request', post({ client: 'Shipshape extension' }), false),
    pairStatus: (requestId: string) => call(PairStatusAnswer, '/api/pair/status', post({ requestId }), false),

    dashboard: () => call(Dashboard, '/api/dashboard'),
    images: (query: Partial<Record<keyof ImageListQuery, string | number | boolean | undefined>>) => call(ImageList, `/api/images${queryString(query)}`),
    image: (id: string) => call(ImageDetail, `/api/images/${enc(id)}`),
    containers: (id: string, query: { status?: string; q?: string }) => call(listOf(ContainerSummary), `/api/images/${enc(id)}/containers${queryString(query)}`),
    imageServers: (id: string, query: { status?: string; q?: string } = {}) => call(listOf(ImageServer), `/api/images/${enc(id)}/servers${queryString(query)}`),
    servers: (query: { status?: string; q?: string } = {}) => call(ServerList, `/api/servers${queryString(query)}`),

    engines: () => call(EngineList, '/api/engines'),
    dockerContexts: () => call(DockerContextList, '/api/engines/contexts'),
    addEngine: (request: AddEngineRequest) => call(Engine, '/api/engines', post(request)),
    removeEngine: (name: string) => call({ parse: (v: unknown) => v as { removed: string } }, `/api/engines/${enc(name)}`, { method: 'DELETE' }),

    createScan: (request: CreateScanRequest) => call(ScanTask, '/api/scans', post(request)),
    scanTasks: () => call(ScanTaskList, '/api/scans'),
    scanTask: (taskId: string) => call(ScanTask, `/api/scans/${enc(taskId)}`),
    cancelScan: (request: CancelScanRequest) => call(CancelScanResponse, '/api/scans/cancel', post(request)),

    vulnerabilities: (id: string, query: Query) => call(VulnerabilityList, `/api/images/${enc(id)}/vulnerabilities${queryString(query)}`),
    sensitive: (id: string, query: Query) => call(SensitiveList, `/api/images/${enc(id)}/sensitive${queryString(query)}`),
    malware: (id: string, query: Query) => call(MalwareList, `/api/images/${enc(id)}/malware${queryString(query)}`),
    packages: (id: string, query: Query) => call(PackageList, `/api/images/${enc(id)}/packages${queryString(query)}`),
    history: (id: string) => call(HistoryList, `/api/images/${enc(id)}/history`),
    imageRiskHistory: (id: string) => call(ImageRiskHistory, `/api/images/${enc(id)}/risk-history`),
    riskHistory: (days = 30) => call(HostRiskHistory, `/api/risk-history${queryString({ days })}`),

    schedule: () => call(ScheduledScanState, '/api/settings/scheduled-scan'),
    saveSchedule: (settings: ScheduledScanSettings) => call(ScheduledScanState, '/api/settings/scheduled-scan', put(settings)),
    columns: () => call(ColumnsSettings, '/api/settings/columns'),
    saveColumns: (columns: ImageColumn[]) => call(ColumnsSettings, '/api/settings/columns', put({ columns })),

    dataUpdate: () => call(DataUpdateStatus, '/api/data-update'),
    startDataUpdate: (request: DataUpdateRequest = {}) => call(DataUpdateStatus, '/api/data-update', post(request)),
    /** "Import file…": the file itself goes in the body (the browser cannot name a path on the helper's machine). */
    importDataFile: (file: Blob, name: string) =>
      call(DataUpdateStatus, `/api/data-update/import${queryString({ name })}`, { method: 'POST', body: file, headers: { 'content-type': 'application/octet-stream' } }),
    dataUpdateSettings: () => call(DataUpdateSettingsView, '/api/settings/data-update'),
    saveDataUpdateSettings: (settings: DataUpdateSettings) => call(DataUpdateSettingsView, '/api/settings/data-update', put(settings)),

    licenses: () => call(LicenseState, '/api/licenses'),
    changeLicenses: (request: LicenseRequest) => call(LicenseResponse, '/api/licenses', post(request)),
    licenseEvents: () => call(LicenseEventList, '/api/licenses/events'),

    ignores: (query: { image?: string; expired?: 'true' | 'false' } = {}) => call(IgnoreList, `/api/ignores${queryString(query)}`),
    createIgnore: (request: CreateIgnoreRequest) => call(IgnoreItem, '/api/ignores', post(request)),
    async deleteIgnore(id: string): Promise<void> {
      await send(`/api/ignores/${enc(id)}`, { method: 'DELETE' });
    },

    /** The export as a file; the caller saves it (the token stays in the header, not a link). */
    async exportImages(query: Query): Promise<{ blob: Blob; fileName: string }> {
      const response = await send(`/api/export${queryString(query)}`);
      const disposition = response.headers.get('content-disposition') ?? '';
      const fileName = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `shipshape-images.${query.format ?? 'csv'}`;
      return { blob: await response.blob(), fileName };
    },

    /** Server-Sent Events with the Authorization header; ends when the signal aborts. */
    async *events(signal: AbortSignal): AsyncGenerator<SseMessage> {
      const response = await send('/api/events', { signal, headers: { accept: 'text/event-stream' } });
      if (!response.body) throw new ApiFailure('server', 'The helper sent an empty event stream.');
      yield* readSse(response.body, signal);
    },
  };
}

export type Api = ReturnType<typeof createApi>;
export { queryString, listOf };
