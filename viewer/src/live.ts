import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';

/** The store's change mark, pushed by the server (/api/events) whenever records were written. */
export const ChangeMark = createContext('');

export function useChangeMarkSource(): string {
  const [mark, setMark] = useState('');
  useEffect(() => {
    const events = new EventSource('/api/events');
    events.addEventListener('change', (event) => setMark(JSON.parse((event as MessageEvent<string>).data) as string));
    return () => events.close();
  }, []);
  return mark;
}

/** Re-runs `load` when the store changes (a run in progress), so pages stay live without a reload. */
export function useLive<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: string | undefined } {
  const mark = useContext(ChangeMark);
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined }>({ data: undefined, error: undefined });
  const seenMark = useRef(mark);
  const depsKey = JSON.stringify(deps);
  const seenDeps = useRef<string | undefined>(undefined);
  // Only the latest load may set the state. Not an effect cleanup: skipping the first mark must not drop the load in flight.
  const latest = useRef(0);
  useEffect(() => () => void latest.current++, []);
  useEffect(() => {
    // The event stream's first mark only says where the store is now: what was just loaded (or is loading) is already that.
    const firstMark = seenMark.current === '' && mark !== '' && seenDeps.current === depsKey;
    seenMark.current = mark;
    seenDeps.current = depsKey;
    if (firstMark) return;
    const request = ++latest.current;
    load().then(
      (data) => request === latest.current && setState({ data, error: undefined }),
      (error: unknown) => request === latest.current && setState((old) => ({ data: old.data, error: error instanceof Error ? error.message : String(error) })),
    );
  }, [...deps, mark]);
  return state;
}
