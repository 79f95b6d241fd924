/**
 * .NET `*.deps.json` (written next to every published app): its `libraries` are the NuGet
 * packages and, for self-contained apps, the bundled runtime packs
 * (`runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0`). `project` entries are the
 * application's own assemblies and are left out.
 */
import { isRecord, langFileAnalyzer, parseJsonObject } from '../file-analyzer.ts';
import { nugetPurl } from '../purl.ts';
import { uniqueByPurl, type LangPackage } from '../finding.ts';

const RUNTIME_PACK_PREFIX = 'runtimepack.';

export function parseDepsJson(content: Buffer): LangPackage[] {
  const deps = parseJsonObject(content);
  const libraries = isRecord(deps.libraries) ? deps.libraries : {};
  const out: LangPackage[] = [];
  for (const [key, library] of Object.entries(libraries)) {
    if (!isRecord(library) || (library.type !== 'package' && library.type !== 'runtimepack')) continue;
    const slash = key.lastIndexOf('/');
    if (slash <= 0) continue;
    const rawName = key.slice(0, slash);
    const name = library.type === 'runtimepack' && rawName.startsWith(RUNTIME_PACK_PREFIX) ? rawName.slice(RUNTIME_PACK_PREFIX.length) : rawName;
    const version = key.slice(slash + 1);
    out.push({ name, version, purl: nugetPurl(name, version), metadata: library.type === 'runtimepack' ? { runtimePack: true } : {} });
  }
  return uniqueByPurl(out);
}

export const dotnetDepsAnalyzer = langFileAnalyzer({
  name: 'lang/dotnet-deps',
  version: 1,
  ecosystem: 'NuGet',
  maxFileSize: 16 * 1024 * 1024,
  matches: (path) => path.endsWith('.deps.json'),
  parse: parseDepsJson,
});
