import { browser } from 'wxt/browser';
import { createApi } from './api';
import { extensionStore } from './storage';
import { createConnectionState } from '../state/connection';

/** Glue between the UI and the extension APIs; only the entrypoints import this file. */
export const connectionStore = extensionStore(browser.storage.local);

export function extensionConnection() {
  return createConnectionState(connectionStore, (connection) => createApi(connection));
}

/** The image the side panel should open next (set by a notification click or the popup). */
export const PENDING_IMAGE_KEY = 'pendingImageId';

export async function takePendingImage(): Promise<string | null> {
  const stored = await browser.storage.local.get(PENDING_IMAGE_KEY);
  const id = stored[PENDING_IMAGE_KEY];
  if (typeof id !== 'string' || !id) return null;
  await browser.storage.local.remove(PENDING_IMAGE_KEY);
  return id;
}

export function sidePanelUrl(imageId?: string | null): string {
  const url = new URL(browser.runtime.getURL('/sidepanel.html'));
  url.searchParams.set('tab', '1');
  if (imageId) url.searchParams.set('image', imageId);
  return url.toString();
}

/**
 * Opens the side panel (on an image when given). Chrome only allows it during a user gesture
 * and with a window ID known up front; when it refuses, the same page opens in a tab.
 */
export async function openSidePanel(windowId: number | undefined, imageId?: string | null): Promise<void> {
  if (imageId) await browser.storage.local.set({ [PENDING_IMAGE_KEY]: imageId });
  try {
    if (windowId === undefined) throw new Error('no window');
    await browser.sidePanel.open({ windowId });
  } catch {
    await browser.tabs.create({ url: sidePanelUrl(imageId) });
  }
}
