import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The helper only listens on loopback; the extension needs nothing else.
export default defineConfig({
  manifestVersion: 3,
  vite: () => ({ plugins: [preact()] }),
  manifest: {
    name: 'Shipshape',
    description: 'Risks in the Docker images on this machine, from the local Shipshape helper.',
    permissions: ['storage', 'notifications', 'sidePanel', 'alarms'],
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
    action: { default_title: 'Shipshape' },
  },
});
