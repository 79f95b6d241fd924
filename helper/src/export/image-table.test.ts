import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '@shipshape/shared';
import { toCsv, toXlsx } from './image-table.ts';

const image: ImageSummary = {
  id: 'sha256:' + 'b'.repeat(64),
  shortId: 'bbbbbbbbbbbb',
  repoTags: ['app:1', 'app:latest'],
  repoDigests: [],
  name: '=cmd|"x"',
  size: 1234,
  created: '2026-01-01T00:00:00Z',
  os: 'linux',
  architecture: 'amd64',
  author: '',
  layerCount: 3,
  containers: { running: 1, total: 2 },
  lastScanned: null,
  scanStatus: 'scanned', scanError: null, notChecked: [],
  securityStatus: 'at_risk',
  risks: { vulnerabilities: { critical: 2, high: 1, medium: 0, low: 0, unknown: 0 }, viruses: 1, trojans: 0, sensitive: 4 },
  highPriority: true,
  priorityScore: 42,
  serverId: 'local',
  servers: ['local', 'build'],
};

describe('image list export', () => {
  it('writes CSV with the chosen columns, quoted and formula-safe', () => {
    const csv = toCsv([{ image, licensed: true }], ['name', 'tags', 'critical', 'vulnerabilities', 'licensed', 'servers']);
    expect(csv).toBe(`Name,Tags,Critical,Vulnerabilities,Licensed,Servers\r\n"'=cmd|""x""",app:1 app:latest,2,3,true,local build\r\n`);
  });

  it('writes an XLSX that exceljs reads back with the chosen columns', async () => {
    const buffer = await toXlsx([{ image, licensed: false }], ['id', 'high', 'sensitive']);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer);
    const sheet = workbook.getWorksheet('Images')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Image ID', 'High', 'Sensitive items']);
    expect(sheet.getRow(2).values).toEqual([undefined, image.id, 1, 4]);
  });

  it('writes an incomplete image with the categories it could not check, in CSV and XLSX', async () => {
    const incomplete: ImageSummary = {
      ...image,
      securityStatus: 'incomplete',
      risks: { vulnerabilities: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 }, viruses: 0, trojans: 0, sensitive: 0 },
      notChecked: [{ category: 'vulnerabilities', reason: 'no vulnerability data' }],
    };
    const csv = toCsv([{ image: incomplete, licensed: true }], ['id', 'securityStatus', 'critical']);
    expect(csv).toBe(`Image ID,Security status,Not checked,Critical\r\n${image.id},incomplete,vulnerabilities: no vulnerability data,0\r\n`);
    const buffer = await toXlsx([{ image: incomplete, licensed: true }], ['securityStatus']);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer);
    expect(workbook.getWorksheet('Images')!.getRow(2).values).toEqual([undefined, 'incomplete', 'vulnerabilities: no vulnerability data']);
  });
});
