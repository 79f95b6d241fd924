import { h, type ComponentType, type FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export type Lazy<P> = FunctionComponent<P> & { preload(): Promise<unknown> };

/**
 * A component whose code is a separate chunk, fetched the first time it is shown (or when
 * `preload()` is called, e.g. once the first rows are on screen): the side panel's first
 * bundle then holds only what its first frame draws. Until the chunk is there it draws
 * nothing; if it cannot be loaded, it says so.
 */
export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): Lazy<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = null; // the next showing tries again
        throw error;
      },
    ));
  function LazyComponent(props: P) {
    const [state, setState] = useState<'loading' | 'ready' | 'failed'>(loaded ? 'ready' : 'loading');
    useEffect(() => {
      if (loaded) return;
      let live = true;
      preload().then(
        () => live && setState('ready'),
        () => live && setState('failed'),
      );
      return () => {
        live = false;
      };
    }, []);
    if (loaded) return h(loaded, props);
    return state === 'failed' ? h('p', { role: 'alert', class: 'error' }, 'This part of the extension could not be loaded: close and reopen the panel.') : null;
  }
  return Object.assign(LazyComponent, { preload });
}
