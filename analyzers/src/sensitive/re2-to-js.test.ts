import { describe, expect, it } from 'vitest';
import { compileRe2, Re2SyntaxError } from './re2-to-js.ts';

const matches = (re2: string, text: string) => compileRe2(re2).test(text);

describe('RE2 to JavaScript', () => {
  it('(?i) at the start folds literals and classes, (?-i:…) turns it off in a group', () => {
    expect(matches('(?i)secret[a-c]', 'SECRETB')).toBe(true);
    expect(matches('(?i)x(?-i:AB)y', 'XABY')).toBe(true);
    expect(matches('(?i)x(?-i:AB)y', 'xaby')).toBe(false);
  });
  it('a flag in the middle applies to the rest of the enclosing group only', () => {
    expect(matches('^a(?i)b$', 'aB')).toBe(true);
    expect(matches('^a(?i)b$', 'AB')).toBe(false);
    expect(matches('^(?:x(?i)y)z$', 'xYz')).toBe(true);
    expect(matches('^(?:x(?i)y)z$', 'xYZ')).toBe(false);
    expect(matches('^(?i:ab)c$', 'ABc')).toBe(true);
  });
  it('negated classes under (?i) exclude both cases', () => {
    expect(matches('^(?i)[^a]$', 'A')).toBe(false);
  });
  it('anchors: ^ $ are text anchors, (?m) makes them line anchors, \\z is the very end', () => {
    expect(matches('^b', 'a\nb')).toBe(false);
    expect(matches('(?m)^b$', 'a\nb\nc')).toBe(true);
    expect(matches('a$', 'a\n')).toBe(false);
    expect(matches('a\\z', 'xa')).toBe(true);
    expect(matches('\\Aa', 'ba')).toBe(false);
  });
  it('. does not match a newline unless (?s)', () => {
    expect(matches('a.b', 'a\nb')).toBe(false);
    expect(matches('(?s)a.b', 'a\nb')).toBe(true);
    expect(matches('(?s:a.b)', 'a\nb')).toBe(true);
  });
  it('POSIX classes, \\s without \\v, \\Q…\\E, hex escapes and literal braces', () => {
    expect(matches('^[[:alnum:]]+$', 'ab09')).toBe(true);
    expect(matches('^[[:^digit:]]$', '5')).toBe(false);
    expect(matches('\\s', '\v')).toBe(false);
    expect(matches('^\\Qa.b\\E$', 'a.b')).toBe(true);
    expect(matches('^\\Qa.b\\E$', 'axb')).toBe(false);
    expect(matches('^\\x60\\x{41}$', '`A')).toBe(true);
    expect(matches('^a{,2}$', 'a{,2}')).toBe(true);
  });
  it('named groups keep their numbering; (?U) swaps greediness', () => {
    expect(compileRe2('(?P<k>a)(b)').exec('ab')?.[2]).toBe('b');
    expect(compileRe2('(?U)a+').exec('aaa')?.[0]).toBe('a');
  });
  it('non-ASCII literals match their UTF-8 bytes (text is decoded as latin1)', () => {
    expect(matches('^é+$', Buffer.from('éé', 'utf8').toString('latin1'))).toBe(true);
  });
  it('rejects what RE2 rejects, with a message', () => {
    for (const bad of ['a**', 'a++', '(?=a)', '(?<!a)b', '\\1', '(a', 'a)', '*a', 'a{1001}', '[a', '\\pL'])
      expect(() => compileRe2(bad), bad).toThrow(Re2SyntaxError);
  });
});
