import { describe, expect, it } from 'vitest';
import { createSecretMask, MASKED_VALUE, maskSecret } from './mask.ts';
import { scanImageConfigDetailed } from './image-config.ts';
import { secretDetector } from './analyzer.ts';

// Built at runtime so this file holds no literal token.
const tokenA = 'ghp_' + 'R7s2Xk9QmPz4Lw8Vn3Tb6Yc1Hd5Jf0Ga2Ke4';
const tokenB = 'ghp_' + 'Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8';

describe('secret masks', () => {
  it('are stable for one secret and one key, and tell two secrets apart', () => {
    const mask = createSecretMask(Buffer.alloc(32, 7));
    expect(mask(tokenA)).toBe(mask(tokenA));
    expect(mask(tokenA)).toMatch(/^ghp_\*\*\*\[[0-9a-f]{6}\]$/);
    expect(mask(tokenA)).not.toBe(mask(tokenB));
    expect(mask(tokenA)).toMatch(MASKED_VALUE);
  });

  it('depend on the key: without it a guessed password cannot be checked against its mask', () => {
    expect(createSecretMask(Buffer.alloc(32, 1))('hunter2-password')).not.toBe(createSecretMask(Buffer.alloc(32, 2))('hunter2-password'));
    expect(maskSecret('hunter2-password')).not.toContain('hunter2');
  });

  it('masking a masked config again changes nothing (stored inventories can be re-masked)', () => {
    const detector = secretDetector({ maskKey: Buffer.alloc(32, 3) });
    const first = scanImageConfigDetailed({ Env: [`API_TOKEN=${tokenA}`, 'DB_PASSWORD=plainword1'] }, [{ created_by: `ENV API_TOKEN=${tokenA}` }], [], detector);
    expect(first.secrets.sort()).toEqual(['plainword1', tokenA].sort());
    const masked = [`API_TOKEN=${detector.mask(tokenA)}`, `DB_PASSWORD=${detector.mask('plainword1')}`];
    const again = scanImageConfigDetailed({ Env: masked }, [{ created_by: `ENV API_TOKEN=${detector.mask(tokenA)}` }], [], detector);
    expect(again.secrets).toEqual([]);
  });
});
