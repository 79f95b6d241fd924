/** The image list as rows of chosen columns, written as CSV (RFC 4180) or XLSX (exceljs). */
import type ExcelJSModule from 'exceljs';
import type { ImageColumn, ImageSummary } from '@shipshape/shared';

export interface ExportRow {
  image: ImageSummary;
  licensed: boolean;
}

const HEADERS: Record<ImageColumn, string> = {
  name: 'Name',
  id: 'Image ID',
  tags: 'Tags',
  size: 'Size (bytes)',
  created: 'Created',
  os: 'OS',
  architecture: 'Architecture',
  author: 'Author',
  layerCount: 'Layers',
  containersRunning: 'Running containers',
  containersTotal: 'Containers',
  scanStatus: 'Scan status',
  securityStatus: 'Security status',
  notChecked: 'Not checked',
  highPriority: 'High priority',
  priorityScore: 'Priority score',
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  unknown: 'Unknown severity',
  vulnerabilities: 'Vulnerabilities',
  viruses: 'Viruses',
  trojans: 'Trojans',
  sensitive: 'Sensitive items',
  lastScanned: 'Last scanned',
  licensed: 'Licensed',
  servers: 'Servers',
};

type Cell = string | number | boolean | null;

function cell(row: ExportRow, column: ImageColumn): Cell {
  const { image } = row;
  const v = image.risks.vulnerabilities;
  switch (column) {
    case 'tags':
      return image.repoTags.join(' ');
    case 'servers':
      return image.servers.join(' ');
    case 'containersRunning':
      return image.containers.running;
    case 'containersTotal':
      return image.containers.total;
    case 'critical':
    case 'high':
    case 'medium':
    case 'low':
    case 'unknown':
      return v[column];
    case 'vulnerabilities':
      return v.critical + v.high + v.medium + v.low + v.unknown;
    case 'viruses':
    case 'trojans':
    case 'sensitive':
      return image.risks[column];
    case 'licensed':
      return row.licensed;
    case 'notChecked':
      return image.notChecked.map((n) => `${n.category}: ${n.reason}`).join('; ');
    default:
      return image[column];
  }
}

export const headerOf = (column: ImageColumn) => HEADERS[column];

/** Quotes per RFC 4180, and defuses cells a spreadsheet would run as a formula. */
function csvField(value: Cell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The columns an export writes: the chosen ones, with `notChecked` right after
 * `securityStatus`, so an `incomplete` verdict never leaves without its reasons.
 */
export function exportColumns(columns: ImageColumn[]): ImageColumn[] {
  if (!columns.includes('securityStatus') || columns.includes('notChecked')) return columns;
  const at = columns.indexOf('securityStatus') + 1;
  return [...columns.slice(0, at), 'notChecked', ...columns.slice(at)];
}

export function toCsv(rows: ExportRow[], chosen: ImageColumn[]): string {
  const columns = exportColumns(chosen);
  const lines = [columns.map((c) => csvField(HEADERS[c])).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(cell(row, c))).join(','));
  return lines.join('\r\n') + '\r\n';
}

export async function toXlsx(rows: ExportRow[], chosen: ImageColumn[]): Promise<Buffer> {
  const columns = exportColumns(chosen);
  // Loaded on first use: exceljs is ~20 MB of the helper's memory, for a rarely used export.
  const { default: ExcelJS } = (await import('exceljs')) as { default: typeof ExcelJSModule };
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Shipshape';
  const sheet = workbook.addWorksheet('Images');
  sheet.columns = columns.map((c) => ({ header: HEADERS[c], key: c, width: Math.max(12, HEADERS[c].length + 2) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(Object.fromEntries(columns.map((c) => [c, cell(row, c)])));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
