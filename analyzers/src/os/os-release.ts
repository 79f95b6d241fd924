/** Parsers for the files that name a Linux distribution and its release. */
import type { OsInfo } from '@shipshape/shared';

/** os-release(5): `KEY=value` lines, values optionally quoted with shell escapes. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\([\\$"`])/g, '$1');
    }
    fields[match[1]!] = value;
  }
  return fields;
}

export function osFromOsRelease(text: string): OsInfo | null {
  const fields = parseOsRelease(text);
  const id = fields.ID?.toLowerCase();
  if (!id) return null;
  // Debian testing/sid have no VERSION_ID; the codename is the best release name there is.
  const version = fields.VERSION_ID ?? fields.VERSION_CODENAME ?? '';
  return { family: id, version, ...(fields.PRETTY_NAME ? { prettyName: fields.PRETTY_NAME } : {}) };
}

/** `/etc/redhat-release`: `Red Hat Enterprise Linux release 8.9 (Ootpa)`, `CentOS Linux release 7.9.2009 (Core)`… */
export function osFromRedhatRelease(text: string): OsInfo | null {
  const line = text.split('\n')[0]?.trim() ?? '';
  const version = /release\s+([\d.]+)/i.exec(line)?.[1];
  if (!version) return null;
  const families: Array<[RegExp, string]> = [
    [/^red hat/i, 'rhel'],
    [/^centos/i, 'centos'],
    [/^rocky/i, 'rocky'],
    [/^alma/i, 'almalinux'],
    [/^fedora/i, 'fedora'],
    [/^oracle/i, 'ol'],
  ];
  const family = families.find(([re]) => re.test(line))?.[1];
  return family ? { family, version, prettyName: line } : null;
}
