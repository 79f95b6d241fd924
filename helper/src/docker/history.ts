/**
 * Which layer (diffID) each build step produced. Docker's history API lists steps newest first
 * and gives each a size but not the `empty_layer` flag of the image config, while
 * RootFS.Layers lists the diffIDs oldest first. Non-empty steps map in order to the diffIDs.
 * A step with a size is surely non-empty; a zero-size step may be a metadata step (ENV, CMD…)
 * or a layer that happened to add nothing (a RUN that changed no file), so zero-size steps that
 * can write files are taken, in order, only as far as the layer count requires.
 */
import type { HistoryStep } from '@shipshape/shared';
import type { HistoryEntry } from './engine.ts';

/** Instructions that never produce a layer (classic `#(nop)` form and BuildKit form). */
const METADATA_ONLY =
  /^(?:\/bin\/sh -c #\(nop\)\s*)?(?:ENV|LABEL|CMD|ENTRYPOINT|EXPOSE|VOLUME|USER|STOPSIGNAL|HEALTHCHECK|SHELL|ONBUILD|ARG|MAINTAINER)\b/;

export function attributeHistory(entriesNewestFirst: HistoryEntry[], diffIds: string[]): HistoryStep[] {
  const steps = [...entriesNewestFirst].reverse();
  const sized = steps.map((s) => s.Size > 0);
  let missing = diffIds.length - sized.filter(Boolean).length;
  const producesLayer = [...sized];
  // First zero-size steps that can write files, then (if still short) any zero-size step.
  for (const pass of [(s: HistoryEntry) => !METADATA_ONLY.test(s.CreatedBy.trim()), () => true]) {
    for (let i = 0; i < steps.length && missing > 0; i++) {
      if (!producesLayer[i] && pass(steps[i]!)) {
        producesLayer[i] = true;
        missing--;
      }
    }
  }
  let layer = 0;
  return steps.map((step, i) => {
    const diffId = producesLayer[i] ? (diffIds[layer++] ?? null) : null;
    return {
      created: step.Created > 0 ? new Date(step.Created * 1000).toISOString() : null,
      createdBy: step.CreatedBy ?? '',
      size: step.Size,
      comment: step.Comment ?? '',
      emptyLayer: !producesLayer[i],
      diffId,
    };
  });
}
