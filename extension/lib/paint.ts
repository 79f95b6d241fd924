/**
 * Resolves once the browser has drawn the next frame: a task queued from an animation-frame
 * callback runs after that frame's paint. Hidden pages get no frames, so a timer bounds the
 * wait (and stands in where there is no requestAnimationFrame at all).
 */
export function afterNextPaint(maxWaitMs = 100): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, maxWaitMs);
    if (typeof requestAnimationFrame !== 'function') return;
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });
}
