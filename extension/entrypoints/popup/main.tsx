import { render } from 'preact';
import { browser } from 'wxt/browser';
import { ConnectionGate } from '../../components/ConnectionGate';
import { PopupStatus } from '../../components/PopupStatus';
import { applyStoredTheme } from '../../components/ThemeToggle';
import { extensionConnection, openSidePanel, type PanelIntent } from '../../lib/extension';
import '../../assets/style.css';

applyStoredTheme();
const conn = extensionConnection();
// sidePanel.open needs the window ID synchronously inside the click, so read it up front.
let windowId: number | undefined;
void browser.windows.getCurrent().then((w) => (windowId = w.id));

const open = (intent: PanelIntent = {}) => void openSidePanel(windowId, intent).then(() => window.close());

function Popup() {
  return (
    <main class="popup-root">
      <h1>Shipshape</h1>
      <ConnectionGate state={conn} onPair={() => void browser.runtime.openOptionsPage().then(() => window.close())}>
        <PopupStatus
          conn={conn}
          onOpenPanel={() => open()}
          onOpenImage={(imageId) => open({ imageId })}
          // The popup closes when a file picker or the terminal takes focus: the dialogs run in the panel.
          onOpenDialog={(dialog) => open({ dialog })}
        />
      </ConnectionGate>
      <p class="muted small"><a href={browser.runtime.getURL('/options.html')} target="_blank">Settings</a></p>
    </main>
  );
}

render(<Popup />, document.getElementById('app')!);
