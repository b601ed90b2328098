import { useEffect, useState } from 'preact/hooks';

/** The console's state lives in the URL (/console?view=…&range=…&team=…): shareable, back/forward work. */
const CHANGE = 'gatehouse:navigate';

export function useQuery(): URLSearchParams {
  const [search, setSearch] = useState(location.search);
  useEffect(() => {
    const update = () => setSearch(location.search);
    addEventListener('popstate', update);
    addEventListener(CHANGE, update);
    return () => {
      removeEventListener('popstate', update);
      removeEventListener(CHANGE, update);
    };
  }, []);
  return new URLSearchParams(search);
}

/** Goes to the URL with these parameters (empty values removed). */
export function navigate(params: Record<string, string | null | undefined> | URLSearchParams, replace = false): void {
  const q = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [k, v] of entries) if (v !== null && v !== undefined && v !== '') q.set(k, v);
  const url = `/console${q.toString() ? `?${q}` : ''}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  dispatchEvent(new Event(CHANGE));
}

/** The current URL with some parameters changed (null removes one). */
export function withParams(q: URLSearchParams, changes: Record<string, string | null>): URLSearchParams {
  const next = new URLSearchParams(q);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === '') next.delete(k);
    else next.set(k, v);
  }
  return next;
}

/**
 * Runs a loader whenever `deps` change; keeps the last result, the error, and whether it is loading.
 * `loading` is true from the first render with new deps (not only once the effect ran), so a view
 * never shows the previous deps' outcome as the answer for the new ones.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: Error | null; loading: boolean; reload: () => void } {
  const [tick, setTick] = useState(0);
  const key = [...deps, tick];
  const [state, setState] = useState<{ data: T | null; error: Error | null; key: unknown[] | null }>({ data: null, error: null, key: null });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: null, key }),
      (error: Error) => live && setState({ data: null, error, key }),
    );
    return () => {
      live = false;
    };
  }, key);
  const answered = state.key !== null && state.key.length === key.length && state.key.every((v, i) => Object.is(v, key[i]));
  return { data: state.data, error: state.error, loading: !answered, reload: () => setTick((t) => t + 1) };
}
