import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from './engine.ts';
import { attributeHistory } from './history.ts';

const step = (createdBy: string, size: number): HistoryEntry => ({ Id: '<missing>', Created: 1_700_000_000, CreatedBy: createdBy, Tags: null, Size: size, Comment: '' });
const newestFirst = (...steps: HistoryEntry[]) => [...steps].reverse();

describe('attributeHistory', () => {
  it('maps steps with a size, oldest first, to the diffIDs in order; metadata steps get none', () => {
    const history = newestFirst(
      step('/bin/sh -c #(nop) ADD file:abc in /', 5000),
      step('/bin/sh -c #(nop)  ENV A=1', 0),
      step('/bin/sh -c apt-get install -y curl', 300),
      step('/bin/sh -c #(nop)  CMD ["bash"]', 0),
    );
    const steps = attributeHistory(history, ['sha256:l0', 'sha256:l1']);
    expect(steps.map((s) => [s.diffId, s.emptyLayer])).toEqual([
      ['sha256:l0', false],
      [null, true],
      ['sha256:l1', false],
      [null, true],
    ]);
    expect(steps[0]!.created).toBe('2023-11-14T22:13:20.000Z');
  });

  it('gives a zero-size RUN step its layer when the layer count says one is missing, not an ENV step', () => {
    const history = newestFirst(
      step('/bin/sh -c #(nop) ADD file:abc in /', 5000),
      step('ENV A=1', 0), // BuildKit form
      step('RUN /bin/sh -c true # buildkit', 0),
      step('COPY app /app # buildkit', 20),
    );
    const steps = attributeHistory(history, ['sha256:l0', 'sha256:l1', 'sha256:l2']);
    expect(steps.map((s) => s.diffId)).toEqual(['sha256:l0', null, 'sha256:l1', 'sha256:l2']);
  });

  it('never invents diffIDs: more non-empty steps than layers leaves the extra ones null', () => {
    const steps = attributeHistory(newestFirst(step('a', 1), step('b', 2)), ['sha256:only']);
    expect(steps.map((s) => s.diffId)).toEqual(['sha256:only', null]);
  });

  it('handles an imported image (one unnamed step) and an empty history', () => {
    expect(attributeHistory([step('', 1234)], ['sha256:x'])[0]).toMatchObject({ diffId: 'sha256:x', createdBy: '', emptyLayer: false });
    expect(attributeHistory([], ['sha256:x'])).toEqual([]);
  });
});
