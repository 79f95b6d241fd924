import { DEFAULT_HELPER_URL } from '@shipshape/shared';
import type { Connection } from './api';

/** Where the helper URL and the token live; chrome.storage.local in the extension, memory in tests. */
export type ConnectionStore = {
  load(): Promise<Connection>;
  save(connection: Connection): Promise<void>;
};

export function memoryStore(initial: Connection = { helperUrl: DEFAULT_HELPER_URL, token: null }): ConnectionStore {
  let current = initial;
  return {
    load: async () => current,
    save: async (connection) => void (current = connection),
  };
}

type StorageArea = {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
};

/** `chrome.storage.local`: readable by the extension only, never by web pages. */
export function extensionStore(area: StorageArea): ConnectionStore {
  return {
    async load() {
      const stored = await area.get(['helperUrl', 'helperToken']);
      return {
        helperUrl: typeof stored.helperUrl === 'string' && stored.helperUrl ? stored.helperUrl : DEFAULT_HELPER_URL,
        token: typeof stored.helperToken === 'string' && stored.helperToken ? stored.helperToken : null,
      };
    },
    save: (connection) => area.set({ helperUrl: connection.helperUrl, helperToken: connection.token ?? '' }),
  };
}
