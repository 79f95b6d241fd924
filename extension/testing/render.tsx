import { createApi } from '../lib/api';
import { memoryStore } from '../lib/storage';
import { createConnectionState } from '../state/connection';
import type { fakeHelper } from './fakeHelper';

/** A connection state wired to a fake helper, already paired unless told otherwise. */
export function connectionTo(helper: ReturnType<typeof fakeHelper>, paired = true, pollMs = 10) {
  const store = memoryStore({ helperUrl: 'http://127.0.0.1:7373', token: paired ? helper.token : null });
  return createConnectionState(store, (connection) => createApi(connection, helper.fetch), pollMs);
}

/** Paired and checked: what the side panel gets once the ConnectionGate lets it through. */
export async function readyConnection(helper: ReturnType<typeof fakeHelper>) {
  const conn = connectionTo(helper);
  await conn.check();
  return conn;
}
