/** State records + live container counts → the API's ImageSummary / ImageDetail shapes. */
import type { ImageDetail, ImageSummary } from '@shipshape/shared';
import { shortId } from '../docker/map-image.ts';
import type { ImageRecord } from '../state/schema.ts';

export type ContainerCounts = { running: number; total: number };

/** `servers`: every engine holding the image (default: just `serverId`). */
export function toSummary(record: ImageRecord, containers: ContainerCounts, serverId: string, servers: string[] = [serverId]): ImageSummary {
  const { inventory: inv, scan } = record;
  return {
    id: inv.id,
    shortId: shortId(inv.id),
    repoTags: inv.repoTags,
    repoDigests: inv.repoDigests,
    name: inv.repoTags[0] ?? '<none>:<none>',
    size: inv.size,
    created: inv.created,
    os: inv.os,
    architecture: inv.architecture,
    author: inv.author,
    layerCount: inv.layerCount,
    containers,
    lastScanned: scan.lastScanned,
    scanStatus: scan.scanStatus,
    scanError: scan.scanStatus === 'scanned' ? null : scan.scanReason,
    securityStatus: scan.securityStatus,
    notChecked: scan.notChecked,
    risks: scan.risks,
    highPriority: scan.highPriority,
    priorityScore: scan.priorityScore,
    serverId,
    servers,
  };
}

export function toDetail(summary: ImageSummary, record: ImageRecord): ImageDetail {
  const { inventory: inv, scan } = record;
  return {
    ...summary,
    distro: scan.distro,
    history: inv.history,
    diffIds: inv.diffIds,
    env: inv.env,
    labels: inv.labels,
  };
}
