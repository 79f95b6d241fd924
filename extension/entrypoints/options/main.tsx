import { render } from 'preact';
import { applyStoredTheme } from '../../components/ThemeToggle';
import { ConnectionSettings } from '../../components/ConnectionSettings';
import { extensionConnection } from '../../lib/extension';
import '../../assets/style.css';

applyStoredTheme();
const conn = extensionConnection();

render(
  <main class="options">
    <h1>Shipshape settings</h1>
    <ConnectionSettings state={conn} />
  </main>,
  document.getElementById('app')!,
);
