import { describe, expect, it } from 'vitest';
import { formatAge, splitImageName } from './format';

describe('splitImageName', () => {
  it('keeps the tag apart from the registry and path, and the port in the registry', () => {
    expect(splitImageName('registry.example:5000/team/api:1.2')).toEqual({ prefix: 'registry.example:5000/team/', base: 'api', tag: ':1.2' });
    expect(splitImageName('alpine:3.20')).toEqual({ prefix: '', base: 'alpine', tag: ':3.20' });
    expect(splitImageName('<none>:<none>')).toEqual({ prefix: '', base: '<none>', tag: ':<none>' });
    expect(splitImageName('localhost:5000/app')).toEqual({ prefix: 'localhost:5000/', base: 'app', tag: '' });
  });
});

describe('formatAge', () => {
  it('says how old, shortly', () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    expect(formatAge('2026-03-10T11:59:40Z', now)).toBe('just now');
    expect(formatAge('2026-03-07T12:00:00Z', now)).toBe(new Intl.RelativeTimeFormat(undefined, { style: 'narrow' }).format(-3, 'day'));
    expect(formatAge(null, now)).toBe('—');
  });
});
