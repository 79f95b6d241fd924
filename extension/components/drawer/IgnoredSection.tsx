import type { ComponentChildren } from 'preact';
import type { IgnoreRule } from '@shipshape/shared';
import { useState } from 'preact/hooks';
import type { Api } from '../../lib/api';
import { describeError } from '../../lib/failure';
import { scopeOf, untilOf, whyOf } from '../../lib/ignores';

/** The findings of a tab that an ignore covers: what, why, until when, and a way to count them again. */
export function IgnoredSection<T>({ api, ignored, onChanged, children }: { api: Api; ignored: Array<{ item: T; ignore: IgnoreRule }> | undefined; onChanged(): void; children(item: T): ComponentChildren }) {
  const [error, setError] = useState<string | null>(null);
  if (!ignored || ignored.length === 0) return null;
  const stop = async (id: string) => {
    try {
      await api.deleteIgnore(id);
      onChanged();
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <section class="ignored" aria-label="Ignored">
      <h3>Ignored ({ignored.length})</h3>
      {error && <p role="alert" class="error">{error}</p>}
      <ul class="findings">
        {ignored.map(({ item, ignore }, i) => (
          <li key={i} data-ignore-id={ignore.id}>
            <div>{children(item)}</div>
            <div class="muted small">
              <span data-testid="ignore-why">{whyOf(ignore)}</span> · <span data-testid="ignore-until">{untilOf(ignore)}</span> · {scopeOf(ignore)}{' '}
              <button type="button" onClick={() => void stop(ignore.id)}>Stop ignoring</button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
