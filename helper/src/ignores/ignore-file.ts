/**
 * `.trivyignore`-style files: one finding ID a line (a vulnerability ID or alias, a secret rule
 * ID, a malware signature name), `#` starts a comment, and an optional `exp:YYYY-MM-DD` after
 * the ID ends the ignore at 00:00 UTC that day. Anything else on a line is an error naming it,
 * so a typo never silently ignores nothing.
 */
import { ExpiryDate, type IgnoreRule } from '@shipshape/shared';

export class IgnoreFileError extends Error {}

export interface IgnoreFileEntry {
  id: string;
  expiresAt: string | null;
  line: number;
}

export function parseIgnoreFile(text: string, name: string): IgnoreFileEntry[] {
  const entries: IgnoreFileEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!content) return;
    const [id, ...rest] = content.split(/\s+/) as [string, ...string[]];
    let expiresAt: string | null = null;
    for (const field of rest) {
      const exp = /^exp:(.*)$/.exec(field);
      if (!exp) throw new IgnoreFileError(`${name}:${line}: '${field.slice(0, 80)}' is not understood (a line is an ID, optionally followed by exp:YYYY-MM-DD)`);
      const parsed = ExpiryDate.safeParse(exp[1]);
      if (!parsed.success) throw new IgnoreFileError(`${name}:${line}: exp:${exp[1]!.slice(0, 40)} is not a date YYYY-MM-DD`);
      expiresAt = parsed.data;
    }
    if (id.length > 256) throw new IgnoreFileError(`${name}:${line}: the ID is longer than 256 characters`);
    entries.push({ id, expiresAt, line });
  });
  return entries;
}

/** Each entry as rules for every kind of finding its ID can name, in every image, anywhere. */
export function ignoreFileRules(entries: readonly IgnoreFileEntry[], name: string, createdAt: string): IgnoreRule[] {
  return entries.flatMap((entry) => {
    const common = { image: null, imageName: null, reason: 'accepted' as const, justification: null, note: `${name}:${entry.line}`, expiresAt: entry.expiresAt, setBy: 'cli' as const, createdAt };
    return [
      { ...common, id: `file-${entry.line}-v`, target: { kind: 'vulnerability' as const, id: entry.id, package: null } },
      { ...common, id: `file-${entry.line}-s`, target: { kind: 'secret' as const, ruleId: entry.id, path: null } },
      { ...common, id: `file-${entry.line}-m`, target: { kind: 'malware' as const, signature: entry.id, path: null } },
    ];
  });
}
