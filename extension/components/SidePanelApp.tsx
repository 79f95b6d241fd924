import { defaultImageColumns, type ImageColumn } from '@shipshape/shared';
import { effect } from '@preact/signals';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { EventStreamState } from '../lib/events';
import { describeError } from '../lib/failure';
import { saveBlob } from '../lib/download';
import type { ConnectionState } from '../state/connection';
import { createImageListState, noFilters, type ImageListState } from '../state/imageList';
import { createLayoutState, type LayoutState } from '../state/layout';
import { createLiveState } from '../state/liveTask';
import { createVulnDataState } from '../state/vulnData';
import { createOverviewState } from '../state/overview';
import { followPanelEvents } from '../state/panelEvents';
import { isComplete, setupSteps, type StepAction } from '../state/setup';
import type { MenuAction } from './ActionMenu';
import { createServerListState } from '../state/servers';
import { lazy } from '../lib/lazy';
import { CompactList } from './CompactList';
import { Filters } from './Filters';
import { HeaderCounts } from './HeaderCounts';
import { RiskTrend } from './RiskTrend';
import { DataAge, VulnDataBanner } from './VulnDataBanner';
import { SetupChecklist } from './SetupChecklist';
import { Toolbar } from './Toolbar';
import { ServerFilter } from './ServerFilter';

// What the first frame does not draw is a chunk of its own, fetched once the first rows are on
// screen (or when first opened): the panel's first bundle is smaller and evaluated sooner.
const Drawer = lazy(() => import('./drawer/Drawer').then((m) => m.Drawer));
const ImageTable = lazy(() => import('./ImageTable').then((m) => m.ImageTable));
const ServersView = lazy(() => import('./ServersView').then((m) => m.ServersView));
const QuickScanDialog = lazy(() => import('./QuickScanDialog').then((m) => m.QuickScanDialog));
const ScheduleDialog = lazy(() => import('./ScheduleDialog').then((m) => m.ScheduleDialog));
const ColumnChooser = lazy(() => import('./ColumnChooser').then((m) => m.ColumnChooser));
const LicenseDialog = lazy(() => import('./LicenseDialog').then((m) => m.LicenseDialog));
const UpdateDataDialog = lazy(() => import('./UpdateDataDialog').then((m) => m.UpdateDataDialog));
const later = [Drawer, ImageTable, ServersView, QuickScanDialog, ScheduleDialog, ColumnChooser, LicenseDialog, UpdateDataDialog];

export type PanelDialog = 'quick' | 'schedule' | 'columns' | 'license' | 'update';

export type SidePanelProps = {
  conn: ConnectionState;
  /** The list, when the page already started loading it (the side panel does, beside the check). */
  list?: ImageListState;
  initialImageId?: string | null;
  /** A dialog to open at once (the popup's checklist: "Update data…", "Quick scan"). */
  initialDialog?: PanelDialog | null;
  /** Shown in the side panel, hidden when the page already fills a tab. */
  onOpenInTab?: () => void;
  download?: (blob: Blob, fileName: string) => void;
  /** Live updates from the helper; off in component tests. */
  live?: boolean;
  /** Table or compact rows; from the page width unless given. */
  layout?: LayoutState;
};

/**
 * The image list (side panel, or a tab): header counts, first-run checklist, filters,
 * selection, batch actions, dialogs, drawer. Compact rows and a full-width drawer at side-panel
 * widths; the table with chosen columns and the drawer beside it on wide pages.
 */
export function SidePanelApp({ conn, list: given, initialImageId = null, initialDialog = null, onOpenInTab, download = saveBlob, live = true, layout }: SidePanelProps) {
  const api = conn.api;
  const list = useMemo(() => given ?? createImageListState(api, { onError: conn.report }), [api, given]);
  const overview = useMemo(() => createOverviewState(api, conn.report), [api]);
  const liveState = useMemo(() => createLiveState(), []);
  const vulnData = useMemo(() => createVulnDataState(api), [api]);
  const pageLayout = useMemo(() => layout ?? createLayoutState(), [layout]);
  const servers = useMemo(() => createServerListState(api), [api]);
  const [showServers, setShowServers] = useState(false);
  const [columns, setColumns] = useState<ImageColumn[]>(defaultImageColumns);
  const [dialog, setDialog] = useState<PanelDialog | null>(initialDialog);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const [drawerVersion, setDrawerVersion] = useState(0);
  const [stream, setStream] = useState<EventStreamState>('connecting');
  /** The first rows are on screen: what they do not need (servers, the risk trend, the data banner) may start. */
  const [rowsShown, setRowsShown] = useState(false);

  useEffect(() => {
    list.openImageId.value = initialImageId;
    if (!list.loading.peek() && (list.items.peek().length === 0 || list.error.peek())) void list.load();
  }, [list]);
  // The connection check reads the dashboard and health anyway: the counts and the data's age start from its answers.
  useEffect(
    () =>
      effect(() => {
        const checked = conn.dashboard.value;
        if (checked && !overview.dashboard.peek()) overview.dashboard.value = checked;
        const health = conn.health.value;
        if (health && !vulnData.status.peek()) vulnData.status.value = health.vulnerabilityData;
      }),
    [overview, vulnData],
  );
  useEffect(() => () => pageLayout.dispose(), [pageLayout]);

  // What the first rows do not need waits until they are on screen: the saved columns, live events.
  useEffect(() => {
    const controller = new AbortController();
    void list.shown.then(() => {
      if (controller.signal.aborted) return;
      setRowsShown(true);
      void servers.load();
      // When the page is idle, so the rest of the list is asked for first; a part opened sooner loads then.
      const warm = () => later.forEach((part) => part.preload().catch(() => undefined));
      if (typeof requestIdleCallback === 'function') requestIdleCallback(warm, { timeout: 2000 });
      else setTimeout(warm, 0);
      api.columns().then((c) => !controller.signal.aborted && setColumns(c.columns), () => undefined);
      if (!live) return;
      followPanelEvents(
        api,
        {
          list,
          overview,
          live: liveState,
          onDrawerStale: () => setDrawerVersion((v) => v + 1),
          onDataUpdated: () => void conn.refreshHealth(),
          onEvent: (event) => vulnData.apply(event),
          // An engine went offline, came back, or was added or removed: the Servers view and the drawer's tabs follow.
          onServersChanged: () => {
            servers.reloadSoon();
            if (list.openImageId.peek()) setDrawerVersion((v) => v + 1);
          },
          onStream: (state, error) => {
            setStream(state);
            if (state === 'stopped' && error) conn.report(error);
          },
        },
        controller.signal,
      );
    });
    return () => controller.abort();
  }, [list]);

  const selected = list.selectedIds.value;
  const flash = (text: string, error = false) => setMessage({ text, error });
  const scan = async (images: string[] | 'all') => {
    try {
      liveState.started(await api.createScan({ images, categories: ['vulnerabilities', 'sensitive', 'malware'] }));
      flash(images === 'all' ? 'Scanning all images.' : `Scanning ${images.length} image(s).`);
      void list.load();
    } catch (e) {
      flash(describeError(e), true);
    }
  };
  const cancel = async () => {
    try {
      const answer = await api.cancelScan({ images: selected });
      flash(`Cancelled ${answer.cancelled} scan(s).`);
      void list.load();
    } catch (e) {
      flash(describeError(e), true);
    }
  };
  const exportAs = async (format: 'csv' | 'xlsx') => {
    try {
      const f = list.filters.peek();
      const query = selected.length
        ? { format, ids: selected.join(','), columns: columns.join(',') }
        : { format, columns: columns.join(','), scanStatus: f.scanStatus || undefined, securityStatus: f.securityStatus || undefined, highPriority: f.highPriority ? 'true' : undefined, risk: f.risk || undefined, q: f.q.trim() || undefined, server: f.server || undefined, sort: f.sort, order: f.order };
      const file = await api.exportImages(query);
      download(file.blob, file.fileName);
      flash(`Exported ${file.fileName}.`);
    } catch (e) {
      flash(describeError(e), true);
    }
  };
  const onStep = (action: StepAction) => {
    if (action === 'update-data') setDialog('update');
    else if (action === 'quick-scan') setDialog('quick');
    else if (action === 'retry') void conn.refreshHealth();
  };

  const wide = pageLayout.wide.value;
  // A wide page draws its first rows with the table: its chunk is fetched beside the first page.
  if (wide) ImageTable.preload().catch(() => undefined);
  const filters = list.filters.value;
  const task = liveState.task.value;
  const openId = list.openImageId.value;
  const dashboard = overview.dashboard.value;
  const steps = setupSteps(conn.status.value, conn.health.value, dashboard);
  const actions: MenuAction[] = [
    { id: 'schedule', label: 'Scheduled scan', onSelect: () => setDialog('schedule') },
    { id: 'update', label: 'Update data…', onSelect: () => setDialog('update') },
    {
      id: 'servers',
      label: `${showServers ? 'Hide servers' : 'Servers'}${servers.all.value.length ? ` (${servers.all.value.length}${servers.offline.value ? `, ${servers.offline.value} offline` : ''})` : ''}`,
      onSelect: () => setShowServers((v) => !v),
    },
    { id: 'license', label: 'License', onSelect: () => setDialog('license') },
    { id: 'columns', label: 'Columns', onSelect: () => setDialog('columns') },
    { id: 'csv', label: 'Export CSV', onSelect: () => void exportAs('csv') },
    { id: 'xlsx', label: 'Export XLSX', onSelect: () => void exportAs('xlsx') },
    ...(onOpenInTab ? [{ id: 'tab', label: 'Open in tab', onSelect: onOpenInTab }] : []),
  ];

  return (
    <div class={`layout ${wide ? 'wide' : 'compact'}${openId ? ' with-drawer' : ''}`}>
      <main>
        <Toolbar wide={wide} total={list.total} primary={{ id: 'quick', label: 'Quick scan', onSelect: () => setDialog('quick') }} actions={actions} stream={stream} />
        <HeaderCounts dashboard={dashboard} filters={filters} onFilter={(next) => list.setFilters(next)} aside={<>{rowsShown && <RiskTrend api={api} version={drawerVersion} />}</>} compact={!wide} />
        {!isComplete(steps) && <SetupChecklist steps={steps} onAction={onStep} />}
        {rowsShown && <VulnDataBanner api={api} data={vulnData} onUpdate={() => setDialog('update')} onUpdated={() => void list.load()} />}
        <DataAge data={vulnData} />
        {showServers && <ServersView servers={servers} onShowImages={(server) => list.setFilters({ server })} onClose={() => setShowServers(false)} />}
        <Filters list={list} compact={!wide}>
          <ServerFilter list={list} servers={servers} />
        </Filters>
        {task && (
          <div class="task" role="status" data-testid="task-progress">
            <span class="task-text">{task.done ? `Scan finished: ${task.summary}` : `Scanning${task.current ? ` ${task.current}` : ''}… ${Math.round(task.percent)}%`}</span>
            <progress max={100} value={task.percent} aria-label="Scan progress" />
          </div>
        )}
        {selected.length > 0 && (
          <div class="batch" role="toolbar" aria-label="Batch actions">
            <span>{selected.length} selected</span>
            <button type="button" onClick={() => void scan(selected)}>Scan again</button>
            <button type="button" onClick={() => void cancel()}>Cancel scan</button>
            <button type="button" onClick={() => setDialog('license')}>License</button>
            <button type="button" onClick={() => void exportAs('csv')}>Export selected</button>
            <button type="button" class="link" onClick={() => (list.selection.value = { ids: new Set(), anchor: null })}>Clear</button>
          </div>
        )}
        {message && <p class={message.error ? 'error' : 'ok'} role={message.error ? 'alert' : 'status'}>{message.text}</p>}
        <ListArea list={list} wide={wide} columns={columns} />
      </main>
      {openId && (
        <Drawer api={api} imageId={openId} version={drawerVersion} vulnData={vulnData} onClose={() => (list.openImageId.value = null)} onScan={(id) => void scan([id])} />
      )}
      {dialog === 'quick' && <QuickScanDialog api={api} initialImages={selected} onStarted={(t) => { liveState.started(t); void list.load(); }} onClose={() => setDialog(null)} />}
      {dialog === 'schedule' && <ScheduleDialog api={api} onClose={() => setDialog(null)} />}
      {dialog === 'columns' && (
        <ColumnChooser columns={columns} onSave={async (next) => setColumns((await api.saveColumns(next)).columns)} onClose={() => setDialog(null)} />
      )}
      {dialog === 'license' && <LicenseDialog api={api} selected={selected} onChanged={() => void list.load()} onClose={() => setDialog(null)} />}
      {dialog === 'update' && (
        <UpdateDataDialog
          api={api}
          live={liveState.dataUpdate.value}
          onFinished={() => {
            void list.load();
            void overview.load();
            void conn.refreshHealth();
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}

/**
 * The rows, or why there are none. Its own component: new rows re-render this part only, not
 * the header, the counts and the filters above it.
 */
function ListArea({ list, wide, columns }: { list: ImageListState; wide: boolean; columns: ImageColumn[] }) {
  const items = list.items.value;
  const filters = list.filters.value;
  const filtered = Boolean(filters.q || filters.scanStatus || filters.securityStatus || filters.highPriority || filters.risk);
  return (
    <>
      {list.error.value && (
        <div role="alert" class="error">
          Could not load the images: {list.error.value} <button type="button" onClick={() => void list.load()}>Retry</button>
        </div>
      )}
      {!list.error.value && !list.loading.value && items.length === 0 && (
        <div class="empty" data-testid="empty">
          {filtered ? (
            <>No image matches these filters. <button type="button" class="link" onClick={() => list.setFilters(noFilters(filters))}>Clear filters</button></>
          ) : (
            <>Docker has no images yet. Pull or build one (for example <code>docker pull alpine</code>); it shows up here at once.</>
          )}
        </div>
      )}
      {items.length > 0 && (wide ? <ImageTable list={list} columns={columns} /> : <CompactList list={list} />)}
    </>
  );
}
