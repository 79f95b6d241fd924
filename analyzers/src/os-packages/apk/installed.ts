/**
 * apk's database, `/lib/apk/db/installed`: one `X:value` line per field, packages separated
 * by blank lines. P name, V version, A arch, o origin (the source package), L licence,
 * m maintainer; file lists (F/R/a/Z) are not needed for the inventory.
 */
export interface ApkPackage {
  name: string;
  version: string;
  arch: string | null;
  origin: string;
  license: string | null;
  maintainer: string | null;
}

// apk-tools: digits, dotted, optional letter, `_suffix<n>`s, `~hash`, `-r<n>`.
const VERSION = /^\d+(?:\.\d+)*[a-z]?(?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*(?:~[0-9a-f]+)?(?:-r\d+)?$/;

export interface ApkParseResult {
  packages: ApkPackage[];
  rejected: string[];
}

export function parseApkInstalled(text: string): ApkParseResult {
  const packages: ApkPackage[] = [];
  const rejected: string[] = [];
  let fields = new Map<string, string>();
  const flush = () => {
    if (fields.size === 0) return;
    const name = fields.get('P');
    const version = fields.get('V');
    if (!name || !version || !VERSION.test(version)) rejected.push(name ?? '(no P: field)');
    else {
      packages.push({
        name,
        version,
        arch: fields.get('A') ?? null,
        origin: fields.get('o') ?? name,
        license: fields.get('L') ?? null,
        maintainer: fields.get('m') ?? null,
      });
    }
    fields = new Map();
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (line[1] !== ':') continue;
    const key = line[0]!;
    // File-list keys repeat; only the first value of the package fields matters.
    if (!fields.has(key)) fields.set(key, line.slice(2).trim());
  }
  flush();
  return { packages, rejected };
}
