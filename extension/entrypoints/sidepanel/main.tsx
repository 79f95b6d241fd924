import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { ConnectionGate } from '../../components/ConnectionGate';
import { SidePanelApp } from '../../components/SidePanelApp';
import { applyStoredTheme } from '../../components/ThemeToggle';
import { PENDING_IMAGE_KEY, extensionConnection, sidePanelUrl, takePendingImage } from '../../lib/extension';
import '../../assets/style.css';

applyStoredTheme();
const params = new URLSearchParams(location.search);
/** "Open in tab" loads this page with ?tab=1 and uses the whole width. */
const inTab = params.get('tab') === '1';
document.documentElement.classList.toggle('in-tab', inTab);
const conn = extensionConnection();

function SidePanel() {
  const [imageId, setImageId] = useState<string | null | undefined>(params.get('image') ?? undefined);
  const [key, setKey] = useState(0);
  useEffect(() => {
    if (imageId === undefined) void takePendingImage().then((id) => setImageId(id));
    // A notification clicked while the panel is open: reopen on that image.
    const onChange = (changes: Record<string, { newValue?: unknown }>) => {
      const id = changes[PENDING_IMAGE_KEY]?.newValue;
      if (typeof id === 'string' && id) void takePendingImage().then((next) => { setImageId(next); setKey((k) => k + 1); });
    };
    browser.storage.local.onChanged.addListener(onChange);
    return () => browser.storage.local.onChanged.removeListener(onChange);
  }, []);
  if (imageId === undefined) return null;
  return (
    <ConnectionGate state={conn}>
      <SidePanelApp
        key={key}
        conn={conn}
        initialImageId={imageId}
        onOpenInTab={inTab ? undefined : () => void browser.tabs.create({ url: sidePanelUrl() })}
      />
    </ConnectionGate>
  );
}

render(<SidePanel />, document.getElementById('app')!);
