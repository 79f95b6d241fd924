import type { DataUpdateStatus } from '@shipshape/shared';
import { useState } from 'preact/hooks';
import type { Api } from './api';
import { describeError } from './failure';

/**
 * Starts a data update (the configured feed, or a file the user picked) and follows it to the
 * end, then says how it went: "Update data" and "Import file…" in the banner and the drawer.
 */
export function useDataUpdateAction(api: Api, onFinished: () => void, pollMs = 1000) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  async function follow(start: () => Promise<DataUpdateStatus>): Promise<void> {
    setBusy(true);
    setMessage(null);
    try {
      let status = await start();
      while (status.running) {
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        status = await api.dataUpdate();
      }
      const result = status.lastResult;
      if (result?.outcome === 'error') setMessage({ text: `Data update failed: ${result.reason ?? 'unknown error'}`, error: true });
      else if (result) setMessage({ text: `Vulnerability data updated${result.reason ? ` (${result.reason})` : ''}.`, error: Boolean(result.reason) });
    } catch (error) {
      setMessage({ text: describeError(error), error: true });
    } finally {
      setBusy(false);
      onFinished();
    }
  }

  return {
    busy,
    message,
    update: () => follow(() => api.startDataUpdate()),
    importFile: (file: File) => follow(() => api.importDataFile(file, file.name)),
  };
}
