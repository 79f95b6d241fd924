import { describe, expect, it } from 'vitest';
import { compilePattern } from './regex-engine.ts';
import { SecretSpans } from './secret-span.ts';

describe('SecretSpans (gitleaks: the rule matched again on its match)', () => {
  const re = compilePattern('(?:key|(tok))=([a-z0-9]+)?');
  const spans = new SecretSpans();
  const span = (secretGroup: number, text: string) => spans.of(re, secretGroup, Buffer.from(text));

  it('takes secretGroup, else the first non-empty group, else the whole match', () => {
    expect(span(2, 'key=abc123')).toEqual([4, 10]);
    expect(span(0, 'key=abc123')).toEqual([4, 10]);
    expect(span(0, 'tok=abc123')).toEqual([0, 3]);
    expect(span(0, 'key=')).toEqual([0, 4]);
    // A group that took no part: an empty secret at the match start; a group the regex lacks: no finding.
    expect(span(1, 'key=abc123')).toEqual([0, 0]);
    expect(span(3, 'key=abc123')).toBeNull();
    // No match on the match alone (a trimmed match), or no groups at all: the whole match.
    expect(span(2, 'nothing')).toEqual([0, 7]);
    expect(spans.of(compilePattern('key=[a-z]+'), 1, Buffer.from('key=abc'))).toEqual([0, 7]);
  });

  it('answers a repeated match as the first time, per secret group', () => {
    for (let i = 0; i < 3; i++) {
      expect(span(2, 'key=abc123')).toEqual([4, 10]);
      expect(span(1, 'key=abc123')).toEqual([0, 0]);
    }
    const long = `key=${'a'.repeat(400)}`;
    expect(span(2, long)).toEqual([4, long.length]);
    expect(span(2, long)).toEqual([4, long.length]);
  });
});
