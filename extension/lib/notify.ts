import { knownExploitedLabel, type ServerEvent } from '@shipshape/shared';

export type NotificationSpec = { id: string; title: string; message: string };

/**
 * Which events become desktop notifications, and their text. The notification ID carries the
 * image (or task) so a click can open the side panel on it.
 */
export function notificationFor(event: ServerEvent): NotificationSpec | null {
  if (event.type === 'scan.finished') {
    const t = event.task;
    const parts = [`${t.succeeded} of ${t.total} image(s) scanned`, `${t.atRisk} at risk`];
    if (t.failed) parts.push(`${t.failed} failed`);
    if (t.cancelled) parts.push(`${t.cancelled} cancelled`);
    return { id: `task:${t.id}`, title: t.state === 'cancelled' ? 'Scan cancelled' : 'Scan finished', message: parts.join(', ') };
  }
  if (event.type === 'risk.high_priority') {
    const v = event.risks.vulnerabilities;
    const counts = [
      v.critical && `${v.critical} critical`,
      v.high && `${v.high} high`,
      event.risks.viruses + event.risks.trojans && `${event.risks.viruses + event.risks.trojans} malware`,
      event.risks.sensitive && `${event.risks.sensitive} sensitive`,
    ].filter(Boolean);
    return {
      id: `image:${event.imageId}`,
      title: `High-priority risk in ${event.name}`,
      message: (event.reasons[0] ?? counts.join(', ')) || `Priority score ${event.priorityScore}`,
    };
  }
  if (event.type === 'risk.known_exploited') {
    const [first, ...more] = event.findings;
    if (!first) return null;
    return {
      // Its own ID: a high-priority notification for the same image must not replace it.
      id: `kev:${event.imageId}`,
      title: `Now known exploited: ${first.cve} in ${event.name}`,
      message: `${first.id} (${first.package}): ${knownExploitedLabel(first)} by CISA.${more.length ? ` And ${more.length} more finding(s).` : ''} Update the package.`,
    };
  }
  return null;
}

/** Notifications that ask for attention now (shown until dismissed where the system allows). */
export function isUrgent(event: ServerEvent): boolean {
  return event.type === 'risk.high_priority' || event.type === 'risk.known_exploited';
}

/** The image a notification is about, if any. */
export function imageOfNotification(id: string): string | null {
  for (const prefix of ['image:', 'kev:']) if (id.startsWith(prefix)) return id.slice(prefix.length);
  return null;
}
