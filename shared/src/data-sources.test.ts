import { describe, expect, it } from 'vitest';
import { ageInWords, DataUpdateRequest, isStale } from './index.ts';

describe('data age', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  it('is said in words', () => {
    expect(ageInWords('2026-03-10T11:59:30Z', now)).toBe('just now');
    expect(ageInWords('2026-03-10T11:00:00Z', now)).toBe('1 hour ago');
    expect(ageInWords('2026-03-07T11:00:00Z', now)).toBe('3 days ago');
  });
  it('is stale after seven days', () => {
    expect(isStale('2026-03-04T12:00:00Z', now)).toBe(false);
    expect(isStale('2026-03-03T11:59:00Z', now)).toBe(true);
  });
});

describe('data update request', () => {
  it('takes a source or an http(s) mirror, not both', () => {
    expect(DataUpdateRequest.parse({ mirror: 'https://mirror.example/osv' })).toEqual({ mirror: 'https://mirror.example/osv' });
    expect(DataUpdateRequest.safeParse({ mirror: 'file:///etc' }).success).toBe(false);
    expect(DataUpdateRequest.safeParse({ source: '/x', mirror: 'http://m' }).success).toBe(false);
  });
});
