/**
 * A stored report as a scan without vulnerability data leaves it: one npm package (lodash
 * 4.17.15, which the test advisories name) and no findings. For tests of re-matching.
 */
import type { ScanReport } from '@shipshape/shared';

export const INVENTORY_LAYER = { diffId: 'sha256:l1', createdBy: null };

export const inventoryReport = (id: string): ScanReport => ({
  image: { id, tags: [], os: null, architecture: 'amd64', layers: [] },
  packages: [{ ecosystem: 'npm', name: 'lodash', version: '4.17.15', sourceName: null, sourceVersion: null, purl: 'pkg:npm/lodash@4.17.15', paths: ['/a'], layer: INVENTORY_LAYER }],
  vulnerabilities: [],
  notes: [],
});
