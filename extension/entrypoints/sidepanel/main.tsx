import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { ConnectionGate } from '../../components/ConnectionGate';
import { SidePanelApp, type PanelDialog } from '../../components/SidePanelApp';
import { FIRST_PAGE, createImageListState } from '../../state/imageList';
import { rowsToFill } from '../../components/rowHeights';
import { applyStoredTheme } from '../../components/ThemeToggle';
import { PENDING_DIALOG_KEY, PENDING_IMAGE_KEY, extensionConnection, sidePanelUrl, takePendingIntent } from '../../lib/extension';
import '../../assets/style.css';

applyStoredTheme();
const params = new URLSearchParams(location.search);
/** "Open in tab" loads this page with ?tab=1 and uses the whole width. */
const inTab = params.get('tab') === '1';
document.documentElement.classList.toggle('in-tab', inTab);
const conn = extensionConnection();
// With a stored token the panel draws its frame at once and asks for the first page of the
// list beside the connection check, so rows appear the moment they arrive; if the check finds
// something missing, the checklist replaces the frame.
const list = createImageListState(conn.api, { onError: conn.report, firstPage: rowsToFill(window.innerHeight, FIRST_PAGE) });
void conn.preload().then((paired) => {
  if (!paired) return;
  conn.assumeReady();
  void list.load();
});
const dialogParam = params.get('dialog');

type Intent = { imageId: string | null; dialog: PanelDialog | null };
const fromUrl: Intent | undefined =
  params.has('image') || dialogParam ? { imageId: params.get('image'), dialog: dialogParam === 'update' || dialogParam === 'quick' ? dialogParam : null } : undefined;
// What a notification or the popup asked the panel to open on: read beside the token, not after the first render.
const pending = fromUrl ? Promise.resolve(fromUrl) : takePendingIntent();

function SidePanel() {
  const [intent, setIntent] = useState<Intent | undefined>(fromUrl);
  const [key, setKey] = useState(0);
  useEffect(() => {
    if (intent === undefined) void pending.then(setIntent);
    // A notification clicked (or the popup used) while the panel is open: reopen on that image or dialog.
    const onChange = (changes: Record<string, { newValue?: unknown }>) => {
      const fresh = [PENDING_IMAGE_KEY, PENDING_DIALOG_KEY].some((k) => typeof changes[k]?.newValue === 'string' && changes[k]?.newValue);
      if (!fresh) return;
      void takePendingIntent().then((next) => {
        if (!next.imageId && !next.dialog) return; // another page took it first
        setIntent(next);
        setKey((k) => k + 1);
      });
    };
    browser.storage.local.onChanged.addListener(onChange);
    return () => browser.storage.local.onChanged.removeListener(onChange);
  }, []);
  if (intent === undefined) return null;
  return (
    <ConnectionGate state={conn}>
      <SidePanelApp
        key={key}
        conn={conn}
        list={list}
        initialImageId={intent.imageId}
        initialDialog={intent.dialog}
        onOpenInTab={inTab ? undefined : () => void browser.tabs.create({ url: sidePanelUrl() })}
      />
    </ConnectionGate>
  );
}

render(<SidePanel />, document.getElementById('app')!);
