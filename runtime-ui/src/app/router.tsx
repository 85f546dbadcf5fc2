/**
 * A small history router: screens are chosen by matching the path against patterns like
 * "/cases/:id/documents/:documentId". Links and navigate() push history entries, so the browser's
 * back button and reload work (the engine answers every screen path with index.html).
 */
import { createContext, useContext, useEffect, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

type Params = Record<string, string>;

const LocationContext = createContext<{ path: string; search: URLSearchParams }>({ path: '/', search: new URLSearchParams() });

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(() => current());
  useEffect(() => {
    const update = () => setLocation(current());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return <LocationContext.Provider value={location}>{children}</LocationContext.Provider>;
}

function current() {
  return { path: window.location.pathname, search: new URLSearchParams(window.location.search) };
}

export function useLocation() {
  return useContext(LocationContext);
}

/** The parameters of `pattern` if the path matches it. */
export function matchPath(pattern: string, path: string): Params | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

export interface Route {
  path: string;
  render: (params: Params) => ReactNode;
}

export function Routes({ routes, fallback }: { routes: Route[]; fallback: ReactNode }) {
  const { path } = useLocation();
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return <>{route.render(params)}</>;
  }
  return <>{fallback}</>;
}

/** An anchor that navigates inside the app (a plain link for new tabs and modified clicks). */
export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
