import { browser } from 'wxt/browser';
import { createApi } from './api';
import { extensionStore } from './storage';
import { createConnectionState } from '../state/connection';

/** Glue between the UI and the extension APIs; only the entrypoints import this file. */
export const connectionStore = extensionStore(browser.storage.local);

export function extensionConnection() {
  return createConnectionState(connectionStore, (connection) => createApi(connection));
}

/** What the side panel should show when it opens next (set by a notification click or the popup). */
export const PENDING_IMAGE_KEY = 'pendingImageId';
export const PENDING_DIALOG_KEY = 'pendingDialog';
export type PanelIntent = { imageId?: string | null; dialog?: 'update' | 'quick' | null };

/**
 * What the side panel should open on, read and cleared in one storage round trip (the panel
 * reads it as it opens, so a second sequential read would delay its first frame).
 */
export async function takePendingIntent(): Promise<{ imageId: string | null; dialog: 'update' | 'quick' | null }> {
  const stored = await browser.storage.local.get([PENDING_IMAGE_KEY, PENDING_DIALOG_KEY]);
  const text = (key: string) => (typeof stored[key] === 'string' && stored[key] ? (stored[key] as string) : null);
  const imageId = text(PENDING_IMAGE_KEY);
  const dialog = text(PENDING_DIALOG_KEY);
  if (imageId || dialog) await browser.storage.local.remove([PENDING_IMAGE_KEY, PENDING_DIALOG_KEY].filter((key) => text(key)));
  return { imageId, dialog: dialog === 'update' || dialog === 'quick' ? dialog : null };
}

export function sidePanelUrl(intent: PanelIntent = {}): string {
  const url = new URL(browser.runtime.getURL('/sidepanel.html'));
  url.searchParams.set('tab', '1');
  if (intent.imageId) url.searchParams.set('image', intent.imageId);
  if (intent.dialog) url.searchParams.set('dialog', intent.dialog);
  return url.toString();
}

/**
 * Opens the side panel (on an image or a dialog when given). Chrome only allows it during a
 * user gesture, so `sidePanel.open` is called first, before anything is awaited, with a window
 * ID known up front; the intent is stored meanwhile (the panel reads it on load, or sees it
 * change when already open). When Chrome refuses, the same page opens in a tab.
 */
export async function openSidePanel(windowId: number | undefined, intent: PanelIntent = {}): Promise<void> {
  const opening = windowId === undefined ? Promise.reject(new Error('no window')) : browser.sidePanel.open({ windowId });
  const stored = browser.storage.local.set({
    ...(intent.imageId ? { [PENDING_IMAGE_KEY]: intent.imageId } : {}),
    ...(intent.dialog ? { [PENDING_DIALOG_KEY]: intent.dialog } : {}),
  });
  try {
    await opening;
    await stored;
  } catch {
    await stored;
    await browser.storage.local.remove([PENDING_IMAGE_KEY, PENDING_DIALOG_KEY]);
    await browser.tabs.create({ url: sidePanelUrl(intent) });
  }
}
