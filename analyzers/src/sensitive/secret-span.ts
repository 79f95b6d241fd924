/**
 * Where a rule's secret lies in one of its matches: gitleaks matches the rule's regex again on
 * the match alone and takes `secretGroup`, else the first non-empty group, else the whole match.
 * That second run asks RE2 for capture groups (its slower engines, ~10 µs for a large rule such
 * as generic-api-key), and ordinary files repeat the same lines over and over (vendored copies,
 * several versions of one library), so short matches are remembered per pattern, by the
 * detector that found them (one per rule set): the span is a function of the match bytes and the
 * pattern alone.
 */
import { execBytes, type CompiledPattern } from './regex-engine.ts';

/** Matches up to this long are remembered (longer ones are rare, and costly to key). */
const REMEMBERED_MATCH = 256;
/** Spans remembered (all patterns together) before the memo starts over: at most ~1 MB. */
const REMEMBERED_SPANS = 4096;

/** [from, to) of the secret in the match, or null when the match has no group `secretGroup` (no finding). */
export type SecretSpan = readonly [from: number, to: number] | null;

function computeSpan(regex: CompiledPattern, secretGroup: number, match: Buffer): SecretSpan {
  const groups = execBytes(regex.single, match);
  if (!groups || groups.length < 2) return [0, match.length];
  const span = (g: number): SecretSpan => {
    const at = groups.indices?.[g];
    // A group that took no part: an empty secret where the match starts.
    return at ? [at[0], at[1]] : [0, 0];
  };
  if (secretGroup > 0) return groups.length <= secretGroup ? null : span(secretGroup);
  for (let g = 1; g < groups.length; g++) {
    const value = groups[g];
    if (value && value.length > 0) return span(g);
  }
  return [0, match.length];
}

export class SecretSpans {
  private readonly memo = new Map<CompiledPattern, Map<string, SecretSpan>>();
  private size = 0;

  of(regex: CompiledPattern, secretGroup: number, match: Buffer): SecretSpan {
    if (match.length > REMEMBERED_MATCH) return computeSpan(regex, secretGroup, match);
    let spans = this.memo.get(regex);
    if (!spans) this.memo.set(regex, (spans = new Map()));
    const key = `${secretGroup}:${match.toString('latin1')}`;
    let span = spans.get(key);
    if (span === undefined) {
      span = computeSpan(regex, secretGroup, match);
      if (this.size >= REMEMBERED_SPANS) {
        for (const m of this.memo.values()) m.clear();
        this.size = 0;
      }
      spans.set(key, span);
      this.size++;
    }
    return span;
  }
}
