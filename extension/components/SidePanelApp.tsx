import { defaultImageColumns, type ImageColumn } from '@shipshape/shared';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { followEvents, type EventStreamState } from '../lib/events';
import { describeError } from '../lib/failure';
import { saveBlob } from '../lib/download';
import type { ConnectionState } from '../state/connection';
import { createImageListState } from '../state/imageList';
import { createLiveState } from '../state/liveTask';
import { createServerListState } from '../state/servers';
import { ColumnChooser } from './ColumnChooser';
import { DataUpdate } from './DataUpdate';
import { Drawer } from './drawer/Drawer';
import { Filters } from './Filters';
import { ImageTable } from './ImageTable';
import { LicenseDialog } from './LicenseDialog';
import { QuickScanDialog } from './QuickScanDialog';
import { RiskTrend } from './RiskTrend';
import { ScheduleDialog } from './ScheduleDialog';
import { ServerFilter } from './ServerFilter';
import { ServersView } from './ServersView';
import { ThemeToggle } from './ThemeToggle';

type DialogName = 'quick' | 'schedule' | 'columns' | 'license' | null;

export type SidePanelProps = {
  conn: ConnectionState;
  initialImageId?: string | null;
  /** Shown in the side panel, hidden when the page already fills a tab. */
  onOpenInTab?: () => void;
  download?: (blob: Blob, fileName: string) => void;
  /** Live updates from the helper; off in component tests. */
  live?: boolean;
};

/** The full image list (side panel, or a tab): filters, selection, batch actions, dialogs, drawer. */
export function SidePanelApp({ conn, initialImageId = null, onOpenInTab, download = saveBlob, live = true }: SidePanelProps) {
  const api = conn.api;
  const list = useMemo(() => createImageListState(api, conn.report), [api]);
  const liveState = useMemo(() => createLiveState(), []);
  const servers = useMemo(() => createServerListState(api), [api]);
  const [showServers, setShowServers] = useState(false);
  const [columns, setColumns] = useState<ImageColumn[]>(defaultImageColumns);
  const [dialog, setDialog] = useState<DialogName>(null);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const [drawerVersion, setDrawerVersion] = useState(0);
  const [stream, setStream] = useState<EventStreamState>('connecting');

  useEffect(() => {
    list.openImageId.value = initialImageId;
    void list.load();
    void servers.load();
    api.columns().then((c) => setColumns(c.columns), () => undefined);
  }, [list]);

  useEffect(() => {
    if (!live) return;
    const controller = new AbortController();
    let reloadTimer: ReturnType<typeof setTimeout> | undefined;
    const reloadSoon = () => {
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => void list.load(), 300);
    };
    void followEvents(
      api,
      (event) => {
        liveState.apply(event);
        if (event.type === 'image.changed' || event.type === 'image.added' || event.type === 'image.removed') {
          if (event.type === 'image.changed' && event.image) list.updateImage(event.image);
          else reloadSoon();
          if (event.imageId === list.openImageId.peek()) setDrawerVersion((v) => v + 1);
        } else if (event.type === 'scan.finished' || event.type === 'license.changed') {
          reloadSoon();
          setDrawerVersion((v) => v + 1);
        } else if (event.type === 'data_update.progress' && !event.status.running) reloadSoon();
        else if (event.type === 'server.changed' || event.type === 'server.removed') {
          // An engine went offline, came back, or was added or removed: the Servers view and the drawer's tabs follow.
          servers.reloadSoon();
          if (list.openImageId.peek()) setDrawerVersion((v) => v + 1);
        }
      },
      controller.signal,
      (state, error) => {
        setStream(state);
        if (state === 'stopped' && error) conn.report(error);
      },
    );
    return () => {
      controller.abort();
      clearTimeout(reloadTimer);
    };
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
        : { format, columns: columns.join(','), scanStatus: f.scanStatus || undefined, securityStatus: f.securityStatus || undefined, highPriority: f.highPriority ? 'true' : undefined, q: f.q.trim() || undefined, server: f.server || undefined, sort: f.sort, order: f.order };
      const file = await api.exportImages(query);
      download(file.blob, file.fileName);
      flash(`Exported ${file.fileName}.`);
    } catch (e) {
      flash(describeError(e), true);
    }
  };

  const items = list.items.value;
  const filters = list.filters.value;
  const filtered = Boolean(filters.q || filters.scanStatus || filters.securityStatus || filters.highPriority || filters.server);
  const task = liveState.task.value;
  const openId = list.openImageId.value;

  return (
    <div class={`layout${openId ? ' with-drawer' : ''}`}>
      <main>
        <header class="toolbar">
          <h1>Images <span class="muted" data-testid="image-total">{list.total.value}</span></h1>
          <button type="button" class="primary" onClick={() => setDialog('quick')}>Quick scan</button>
          <button type="button" onClick={() => setDialog('schedule')}>Scheduled scan</button>
          <button type="button" onClick={() => setDialog('columns')}>Columns</button>
          <button type="button" onClick={() => setDialog('license')}>License</button>
          <button type="button" onClick={() => void exportAs('csv')}>Export CSV</button>
          <button type="button" onClick={() => void exportAs('xlsx')}>Export XLSX</button>
          <button type="button" aria-pressed={showServers} onClick={() => setShowServers((v) => !v)}>
            Servers {servers.all.value.length > 0 && <span class="muted">{servers.all.value.length}</span>}
            {servers.offline.value > 0 && <span class="error" title="Engines offline"> · {servers.offline.value} offline</span>}
          </button>
          <DataUpdate api={api} live={liveState.dataUpdate.value} onFinished={() => void list.load()} />
          {onOpenInTab && <button type="button" onClick={onOpenInTab}>Open in tab</button>}
          <ThemeToggle />
          <span class={`stream stream-${stream}`} title="Live updates from the helper">{stream === 'open' ? '● live' : stream === 'connecting' ? '○ connecting' : '○ reconnecting'}</span>
        </header>
        {showServers && <ServersView servers={servers} onShowImages={(server) => list.setFilters({ server })} onClose={() => setShowServers(false)} />}
        <RiskTrend api={api} version={drawerVersion} />
        <Filters list={list}>
          <ServerFilter list={list} servers={servers} />
        </Filters>
        {task && (
          <div class="task" role="status" data-testid="task-progress">
            {task.done ? `Scan finished: ${task.summary}` : `Scanning${task.current ? ` ${task.current}` : ''}… ${Math.round(task.percent)}%`}
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
        {list.error.value && (
          <div role="alert" class="error">
            Could not load the images: {list.error.value} <button type="button" onClick={() => void list.load()}>Retry</button>
          </div>
        )}
        {!list.error.value && !list.loading.value && items.length === 0 && (
          <div class="empty" data-testid="empty">
            {filtered ? (
              <>No image matches these filters. <button type="button" class="link" onClick={() => list.setFilters({ q: '', scanStatus: '', securityStatus: '', highPriority: false, server: '' })}>Clear filters</button></>
            ) : (
              <>Docker has no images yet. Pull or build one (for example <code>docker pull alpine</code>); it shows up here at once.</>
            )}
          </div>
        )}
        {items.length > 0 && <ImageTable list={list} columns={columns} />}
      </main>
      {openId && (
        <Drawer api={api} imageId={openId} version={drawerVersion} onClose={() => (list.openImageId.value = null)} onScan={(id) => void scan([id])} />
      )}
      {dialog === 'quick' && <QuickScanDialog api={api} initialImages={selected} onStarted={(t) => { liveState.started(t); void list.load(); }} onClose={() => setDialog(null)} />}
      {dialog === 'schedule' && <ScheduleDialog api={api} onClose={() => setDialog(null)} />}
      {dialog === 'columns' && (
        <ColumnChooser columns={columns} onSave={async (next) => setColumns((await api.saveColumns(next)).columns)} onClose={() => setDialog(null)} />
      )}
      {dialog === 'license' && <LicenseDialog api={api} selected={selected} onChanged={() => void list.load()} onClose={() => setDialog(null)} />}
    </div>
  );
}
