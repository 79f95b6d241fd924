/**
 * Installed RubyGems: `specifications/*.gemspec` (and `specifications/default/` for gems that
 * ship with Ruby). These are Ruby source written by RubyGems in a fixed shape, so the fields
 * are read with patterns, never evaluated.
 */
import { langFileAnalyzer } from '../file-analyzer.ts';
import { gemPurl } from '../purl.ts';
import type { LangPackage } from '../finding.ts';

/** `s.name = "rake".freeze` / `spec.version = Gem::Version.new("1.0")` → the string (blank: none). */
function field(text: string, name: string): string | undefined {
  const match = new RegExp(`^\\s*\\w+\\.${name}\\s*=\\s*(?:Gem::Version\\.new\\()?\\s*["']([^"']+)["']`, 'm').exec(text);
  return match?.[1]?.trim() || undefined;
}

function licenses(text: string): string[] {
  const list = /^\s*\w+\.licenses\s*=\s*\[([^\]]*)\]/m.exec(text)?.[1];
  if (list !== undefined) return [...list.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]!);
  const single = field(text, 'license');
  return single ? [single] : [];
}

export function isInstalledGemspec(path: string): boolean {
  return path.endsWith('.gemspec') && /\/specifications\/(?:default\/)?[^/]+\.gemspec$/.test(path);
}

export function parseGemspec(content: Buffer): LangPackage[] {
  const text = content.toString('utf8');
  const name = field(text, 'name');
  const version = field(text, 'version');
  if (!name || !version) throw new Error('no name or version in the gemspec');
  // Platform gems (nokogiri-x86_64-linux) say so in the `# stub:` line or `s.platform`.
  const platform = field(text, 'platform') ?? /^# stub: \S+ \S+ (\S+)/m.exec(text)?.[1];
  const found = licenses(text);
  return [
    {
      name,
      version,
      purl: gemPurl(name, version, platform),
      metadata: { ...(found.length ? { licenses: found } : {}), ...(platform && platform !== 'ruby' ? { platform } : {}) },
    },
  ];
}

export const gemspecAnalyzer = langFileAnalyzer({
  name: 'lang/gemspec',
  version: 1,
  ecosystem: 'RubyGems',
  maxFileSize: 1024 * 1024,
  matches: isInstalledGemspec,
  parse: parseGemspec,
});
