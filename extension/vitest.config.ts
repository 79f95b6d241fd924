import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

export default defineConfig({
  // preset-vite is typed against another vite copy than vitest's; the plugin objects are the same.
  plugins: [preact() as never],
  test: { environment: 'happy-dom', setupFiles: ['./testing/setup.ts'] },
});
