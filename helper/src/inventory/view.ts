/** State records + live container counts → the API's ImageSummary / ImageDetail shapes. */
import type { ImageDetail, ImageSummary } from '@shipshape/shared';
import { shortId } from '../docker/map-image.ts';
import type { ImageRecord } from '../state/schema.ts';

export type ContainerCounts = { running: number; total: number };

export function toSummary(record: ImageRecord, containers: ContainerCounts, serverId: string): ImageSummary {
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
  };
}

export function toDetail(record: ImageRecord, containers: ContainerCounts, serverId: string): ImageDetail {
  const { inventory: inv, scan } = record;
  return {
    ...toSummary(record, containers, serverId),
    distro: scan.distro,
    history: inv.history,
    diffIds: inv.diffIds,
    env: inv.env,
    labels: inv.labels,
  };
}
