/**
 * The shapes the built-in rules are written in (RE2 syntax), so each provider entry in
 * catalog.ts only says what its token looks like:
 *  - `token`: a token whose own prefix or structure identifies it (ghp_…, xoxb-…, AKIA…),
 *    found anywhere with a boundary on each side;
 *  - `assigned`: a value that is recognisable only by the name it is assigned to (an
 *    identifier containing the provider's name, then an assignment or call operator in any
 *    common syntax: INI, shell, YAML, JSON, XML, code, Makefile), case-insensitive name,
 *    case-sensitive value.
 * The secret is always group 1.
 */

/**
 * Before a token: a word boundary (zero-width, so a token right after another one's end on the
 * next line is still found; a token glued to a word is part of something else). Rules whose
 * keywords are common pass `left: ''`: a pattern that starts with its literal prefix lets RE2
 * jump between occurrences of it, where a leading `\b` makes it read every byte (about ten
 * times slower).
 */
const LEFT = String.raw`\b`;
/** After a token: not a letter, digit or dot (a dot continues a file or host name). */
const RIGHT = String.raw`(?:[^0-9A-Za-z.]|$)`;

/**
 * `right`: a class of what may follow instead (for tokens whose alphabet has punctuation);
 * `left`: what may precede instead of a word boundary.
 */
export function token(body: string, right?: string, left?: string): string {
  return `${left ?? LEFT}(${body})${right ? `(?:${right}|$)` : RIGHT}`;
}

/**
 * A provider name inside an identifier, but not inside another word (`CameraKit` does not
 * contain "meraki"): at a word start or after `_` in any case, or starting with a capital
 * anywhere (camelCase: `myMerakiKey`).
 */
export function nameVariants(names: string[]): string {
  const esc = (n: string) => n.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const lower = [...new Set(names.map((n) => n.toLowerCase()))];
  const camel = lower.filter((n) => /^[a-z]/.test(n)).map((n) => `${n[0]!.toUpperCase()}(?i:${esc(n.slice(1))})`);
  const start = String.raw`(?:\b|_)(?i:${lower.map(esc).join('|')})`;
  return camel.length > 0 ? `(?:${start}|${camel.join('|')})` : `(?:${start})`;
}

/**
 * Words (RE2 alternatives, each starting with a letter) as the start of a part of an
 * identifier: after a word boundary or `_`/`.`/`-` in any case, or capitalised (camelCase), so
 * "pass" is found in `db_password` and `dbPassword` but not in `Buypass`, nor "key" in `monkey`.
 */
export function wordPart(alternatives: string[]): string {
  const camel = alternatives.map((a) => `(?-i:${a[0]!.toUpperCase()})(?i:${a.slice(1)})`);
  return String.raw`(?:(?:\b|[_.-])(?i:${alternatives.join('|')})|${camel.join('|')})`;
}

/**
 * `name` (an RE2 alternation, matched case-insensitively) inside an identifier, then an
 * assignment: `=`, `:`, `:=`, `::=`, `?=`, `+=`, `.=`, `=>`, `,` after a quoted name (a call's
 * next argument), `>` (an XML element), with optional quotes and spaces, then the value, then
 * its end.
 */
export function assigned(name: string, value: string, caseSensitiveName = false): string {
  return (
    (caseSensitiveName ? `(?:${name})` : `(?i:${name})`) +
    String.raw`[\w.-]{0,30}?(?:[ \t]+[\w.]{1,12})?` +
    // An assignment; a `,` only after a quoted name (`setProperty("X_TOKEN", "…")`, not `f(key, other)`);
    // across a line break only after `>` (an XML element's text on the next line).
    String.raw`(?:[ \t'"\]]{0,4}(?:=|:=|::=|:::=|\?=|\+=|\.=|=>|:)[ \t'"\x60=]{0,6}|[ \t]{0,2}['"][ \t]{0,3},[ \t'"\x60]{0,6}|[ \t'"]{0,4}>[ \t\r\n'"\x60]{0,8})` +
    // A YAML binary tag before the value.
    String.raw`(?:!!binary[ \t]+)?` +
    `(${value})` +
    String.raw`(?:[ \t\r\n'"\x60;,)\]}<&|]|\\[nrt"']|$)`
  );
}
