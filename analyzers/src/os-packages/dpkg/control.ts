/**
 * deb822 control paragraphs (dpkg's status file, `status.d/*`): `Field: value` lines,
 * continuation lines starting with a space or tab, paragraphs separated by blank lines.
 * Field names are case-insensitive; malformed lines are ignored (a corrupt entry must not
 * take its neighbours with it).
 */
export type Paragraph = Map<string, string>;

export function parseParagraphs(text: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Paragraph = new Map();
  let lastField: string | null = null;
  const flush = () => {
    if (current.size > 0) paragraphs.push(current);
    current = new Map();
    lastField = null;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (line[0] === ' ' || line[0] === '\t') {
      if (lastField) current.set(lastField, `${current.get(lastField)}\n${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      lastField = null;
      continue;
    }
    lastField = line.slice(0, colon).trim().toLowerCase();
    current.set(lastField, line.slice(colon + 1).trim());
  }
  flush();
  return paragraphs;
}
