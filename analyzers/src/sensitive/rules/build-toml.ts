/**
 * Writes builtin.toml (the gitleaks-format file the scanner loads) from catalog.ts and the
 * global allowlist below: `npx tsx analyzers/src/sensitive/rules/build-toml.ts`.
 */
import { writeFileSync } from 'node:fs';
import { catalog, type CatalogAllowlist, type CatalogEntry } from './catalog.ts';

/** Paths whose content is documentation, test data or package lock data, in an image. */
const ALLOW_PATHS = [
  String.raw`^/usr/share/(?:doc|man|info|locale|i18n|zoneinfo|common-licenses|dict|gtk-doc|help|javascript|perl5?)/`,
  String.raw`(?:^|/)man/man[0-9][a-z]*/[^/]+$`,
  String.raw`(?:^|/)(?:tests?|testing|testdata|test_data|__tests__|__mocks__|fixtures?|examples?|samples?|spec|docs?)/`,
  String.raw`(?:^|/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|go\.sum|Cargo\.lock|poetry\.lock|Pipfile\.lock|composer\.lock|Gemfile\.lock|deno\.lock)$`,
  String.raw`(?i)\.(?:md|markdown|rst|adoc|html?|map|svg|po|pot|d\.ts)$`,
  // Language runtimes' own libraries: their docs and tests show sample credentials (user:pass@proxy).
  String.raw`^/usr/(?:share|lib/[^/]+)/perl5?/`,
  String.raw`^/usr/lib/python[23][.0-9]*/`,
];
/** Values that are references, templates or placeholders, whatever the rule. */
const ALLOW_REGEXES = [
  String.raw`^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$`,
  String.raw`^\{\{.*\}\}$`,
  String.raw`^<[^>]*>$`,
  String.raw`^%\(?[A-Za-z_]*\)?s?%?$`,
];
const ALLOW_STOPWORDS = ['xxxxxx', 'placeholder', 'changeme', 'your_', 'your-', 'dummy', 'redacted', '<your', 'replace_with', 'replace-with'];

const lit = (s: string) => {
  if (s.includes("'''")) throw new Error(`regex contains ''': ${s}`);
  return `'''${s}'''`;
};
const str = (s: string) => JSON.stringify(s);
const list = (xs: string[], f: (x: string) => string) => `[${xs.map(f).join(', ')}]`;

function allowlist(a: CatalogAllowlist): string[] {
  const out = ['[[rules.allowlists]]'];
  if (a.regexTarget) out.push(`regexTarget = ${str(a.regexTarget)}`);
  if (a.regexes?.length) out.push(`regexes = ${list(a.regexes, lit)}`);
  if (a.stopwords?.length) out.push(`stopwords = ${list(a.stopwords, str)}`);
  return out;
}

function rule(e: CatalogEntry): string {
  const lines = ['[[rules]]', `id = ${str(e.id)}`, `name = ${str(e.name)}`, `description = ${str(`${e.name}.`)}`];
  if (e.type) lines.push(`type = ${str(e.type)}`);
  if (e.severity) lines.push(`severity = ${str(e.severity)}`);
  if (e.regex) lines.push(`regex = ${lit(e.regex)}`);
  if (e.path) lines.push(`path = ${lit(e.path)}`);
  if (e.secretGroup) lines.push(`secretGroup = ${e.secretGroup}`);
  if (e.entropy) lines.push(`entropy = ${e.entropy}`);
  if (e.keywords.length) lines.push(`keywords = ${list(e.keywords, str)}`);
  if (e.recommendation) lines.push(`recommendation = ${str(e.recommendation)}`);
  for (const a of e.allowlists ?? []) lines.push(...allowlist(a));
  return lines.join('\n');
}

export function builtinToml(): string {
  return [
    '# Shipshape\'s built-in secret rules, in the gitleaks rule format (regexes in RE2 syntax).',
    '# GENERATED from catalog.ts by build-toml.ts: edit those, then run',
    '#   npx tsx analyzers/src/sensitive/rules/build-toml.ts',
    '# Extra keys Shipshape reads: name, type (credential | private_key | token | password | config),',
    '# severity (critical | high | medium | low), recommendation.',
    '',
    'title = "shipshape built-in rules"',
    '',
    '[[allowlists]]',
    'description = "Documentation, test data and lock files that packages ship; references and placeholders"',
    `paths = ${list(ALLOW_PATHS, lit)}`,
    '',
    '[[allowlists]]',
    `regexes = ${list(ALLOW_REGEXES, lit)}`,
    `stopwords = ${list(ALLOW_STOPWORDS, str)}`,
    '',
    ...catalog.map((e) => `${rule(e)}\n`),
  ].join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(new URL('./builtin.toml', import.meta.url), builtinToml());
  console.log(`builtin.toml: ${catalog.length} rules`);
}
