import { browser } from 'wxt/browser';
import type { ServerEvent } from '@shipshape/shared';
import { createApi, type Connection } from '../../lib/api';
import { followEvents } from '../../lib/events';
import { connectionStore, openSidePanel } from '../../lib/extension';
import { imageOfNotification, isUrgent, notificationFor } from '../../lib/notify';

/**
 * Follows the helper's event stream: desktop notifications when a scan task finishes, a
 * high-priority risk appears or a data update makes a finding known-exploited, and the action
 * badge = images at risk. An alarm restarts the
 * stream after Chrome has put the worker to sleep.
 */
export default defineBackground(() => {
  let connection: Connection = { helperUrl: '', token: null };
  const api = createApi(() => connection);
  let following: AbortController | null = null;
  let badgeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Notifications created since the worker started (read by the end-to-end test). */
  const created: string[] = [];
  (globalThis as { shipshapeNotifications?: string[] }).shipshapeNotifications = created;

  async function refreshBadge(): Promise<void> {
    try {
      const dashboard = await api.dashboard();
      await browser.action.setBadgeBackgroundColor({ color: dashboard.imagesAtRisk ? '#c62828' : '#2e7d32' });
      await browser.action.setBadgeText({ text: dashboard.imagesAtRisk ? String(dashboard.imagesAtRisk) : '' });
      await browser.action.setTitle({ title: `Shipshape: ${dashboard.imagesAtRisk} of ${dashboard.totalImages} images at risk` });
    } catch {
      await browser.action.setBadgeText({ text: connection.token ? '!' : '' });
      await browser.action.setTitle({ title: connection.token ? 'Shipshape: the helper does not answer' : 'Shipshape: not paired yet' });
    }
  }
  const refreshBadgeSoon = () => {
    clearTimeout(badgeTimer);
    badgeTimer = setTimeout(() => void refreshBadge(), 500);
  };

  async function onEvent(event: ServerEvent): Promise<void> {
    if (event.type.startsWith('image.') || event.type === 'scan.finished' || event.type.startsWith('risk.')) refreshBadgeSoon();
    const spec = notificationFor(event);
    if (!spec) return;
    await browser.notifications.create(spec.id, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title: spec.title,
      message: spec.message,
      priority: isUrgent(event) ? 2 : 0,
    });
    created.push(spec.id);
  }

  async function follow(): Promise<void> {
    following?.abort();
    connection = await connectionStore.load();
    await refreshBadge();
    if (!connection.token) return;
    const controller = (following = new AbortController());
    void followEvents(api, (event) => void onEvent(event).catch(() => undefined), controller.signal, (state) => {
      if (state === 'open') refreshBadgeSoon();
      if (state === 'stopped' && following === controller) following = null;
    });
  }

  browser.runtime.onInstalled.addListener((details) => {
    if (details.reason === 'install') void browser.runtime.openOptionsPage();
  });
  browser.storage.local.onChanged.addListener((changes) => {
    if (changes.helperToken || changes.helperUrl) void follow();
  });
  // Chrome stops an idle worker after 30 s, and a streaming fetch alone does not count as
  // activity; an extension API call does. While paired, keep the stream (and so the
  // notifications) alive; the alarm restarts it if the worker was stopped anyway.
  setInterval(() => {
    if (following) void browser.runtime.getPlatformInfo();
  }, 20_000);
  browser.alarms.create('shipshape-keepalive', { periodInMinutes: 1 });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === 'shipshape-keepalive' && !following) void follow();
  });
  // sidePanel.open must run inside the click, before any await: know the window beforehand.
  let lastWindowId: number | undefined;
  void browser.windows.getLastFocused().then((w) => (lastWindowId ??= w.id), () => undefined);
  browser.windows.onFocusChanged.addListener((id) => {
    if (id !== browser.windows.WINDOW_ID_NONE) lastWindowId = id;
  });
  const onNotificationClicked = (id: string) => {
    void openSidePanel(lastWindowId, { imageId: imageOfNotification(id) });
    void browser.notifications.clear(id);
  };
  browser.notifications.onClicked.addListener(onNotificationClicked);
  /** The same handler, for the end-to-end test (headless Chromium shows no notification to click). */
  (globalThis as { shipshapeNotificationClicked?: (id: string) => void }).shipshapeNotificationClicked = onNotificationClicked;
  void follow();
});
