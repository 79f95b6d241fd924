import { describe, expect, it } from 'vitest';
import { PairApproveBody, PairStatusAnswer, normalizePairCode } from './pair.ts';

describe('pairing schemas', () => {
  it('normalises codes typed with dashes, spaces or lower case', () => {
    expect(normalizePairCode('k7m-4qx')).toBe('K7M4QX');
    expect(PairApproveBody.parse({ code: 'k7m 4qx' })).toEqual({ code: 'K7M4QX', reject: false });
  });
  it('rejects codes with ambiguous or missing characters', () => {
    expect(PairApproveBody.safeParse({ code: 'K0M4QX' }).success).toBe(false);
    expect(PairApproveBody.safeParse({ code: 'K7M4Q' }).success).toBe(false);
  });
  it('only an approved status carries a token', () => {
    expect(PairStatusAnswer.safeParse({ state: 'approved' }).success).toBe(false);
    expect(PairStatusAnswer.parse({ state: 'pending', token: 'x' })).toEqual({ state: 'pending' });
  });
});
