import { useEffect, useState } from 'preact/hooks';

/** The page shown, from the URL hash: `#/<tab>/<segment>/<segment>?key=value`. */
export interface Route {
  tab: string;
  segments: string[];
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const [path, search = ''] = text.split('?', 2);
  const [tab = '', ...segments] = path.split('/').filter((part) => part !== '').map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  return { tab: tab || 'runs', segments, query: new URLSearchParams(search) };
}

/** A hash link: `href(['tree', runId, taskId], { node })`. */
export function href(parts: string[], query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  const search = params.size > 0 ? `?${params}` : '';
  return `#/${parts.map(encodeURIComponent).join('/')}${search}`;
}

export function navigate(parts: string[], query: Record<string, string | undefined> = {}, replace = false): void {
  const target = href(parts, query);
  if (replace) history.replaceState(null, '', target);
  else location.hash = target;
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
