import { describe, expect, it } from 'vitest';
import { analyzerFailureNote, failedAnalyzers, failureMessage } from './failures.ts';

describe('analyzer failures', () => {
  it('say what failed without quoting the input a parser choked on', () => {
    let error: unknown;
    try {
      JSON.parse('{"token": ghp_R7s2Xk9QmPz4Lw8Vn3Tb6Yc1Hd5Jf0Ga2Ke4}');
    } catch (e) {
      error = e;
    }
    const message = failureMessage(error);
    expect(message).toMatch(/not valid JSON/);
    expect(message).not.toContain('ghp_');
  });

  it('are read back from the notes with the category of the analyzer', () => {
    const analyzers = [
      { name: 'lang/npm', category: 'packages' as const },
      { name: 'malware/builtin', category: 'malware' as const },
    ];
    const notes = ['skipped entry', analyzerFailureNote('lang/npm', 'on /app/package.json', new Error('boom')), analyzerFailureNote('malware/builtin', 'at the end of the layer', new Error('x'))];
    expect(failedAnalyzers(notes, analyzers).map((f) => [f.name, f.category])).toEqual([
      ['lang/npm', 'packages'],
      ['malware/builtin', 'malware'],
    ]);
  });
});
