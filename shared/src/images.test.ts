import { describe, expect, it } from 'vitest';
import { ImageListQuery, ImageIdParam } from './images.ts';

describe('ImageListQuery', () => {
  it('applies defaults and coerces numbers', () => {
    expect(ImageListQuery.parse({ limit: '20' })).toMatchObject({ limit: 20, offset: 0, sort: 'created', order: 'desc' });
  });
  it('rejects a limit above 500 and unknown filters', () => {
    expect(ImageListQuery.safeParse({ limit: '100000' }).success).toBe(false);
    expect(ImageListQuery.safeParse({ scanStatus: 'bogus' }).success).toBe(false);
    expect(ImageListQuery.safeParse({ colour: 'red' }).success).toBe(false);
  });
});

describe('ImageIdParam', () => {
  it('accepts full and short IDs, rejects anything else', () => {
    expect(ImageIdParam.safeParse('sha256:' + 'a'.repeat(64)).success).toBe(true);
    expect(ImageIdParam.safeParse('abcd12').success).toBe(true);
    expect(ImageIdParam.safeParse('../etc/passwd').success).toBe(false);
    expect(ImageIdParam.safeParse('ab').success).toBe(false);
  });
});
