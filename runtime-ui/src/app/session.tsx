/**
 * Who is signed in. Loads /api/auth/me once; the screens read the principal (name, roles,
 * attributes) from here. A 401 from any request (idle timeout) drops back to the sign-in screen,
 * which returns the user to the screen they were on.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, onUnauthorized, setCsrfToken } from '../api/client';
import type { Principal } from '../api/engine-types';

export type { Principal } from '../api/engine-types';

interface SessionValue {
  principal: Principal | null;
  loading: boolean;
  /** True after the server ended the session (not after signing out). */
  expired: boolean;
  signIn(email: string, password: string): Promise<Principal>;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
  hasRole(...roles: string[]): boolean;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [principal, setPrincipal] = useState<Principal | null>(null);
  const [loading, setLoading] = useState(true);
  const [expired, setExpired] = useState(false);

  const accept = (p: Principal | null) => {
    setCsrfToken(p?.csrfToken);
    setPrincipal(p);
  };

  const refresh = useCallback(async () => {
    try {
      accept(await api.get<Principal>('/api/auth/me'));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      accept(null);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onUnauthorized(() => {
      setExpired(true);
      accept(null);
    });
  }, [refresh]);

  const value: SessionValue = {
    principal,
    loading,
    expired,
    async signIn(email, password) {
      const p = await api.post<Principal>('/api/auth/login', { email, password });
      setExpired(false);
      accept(p);
      return p;
    },
    async signOut() {
      try {
        await api.post('/api/auth/logout');
      } finally {
        accept(null);
      }
    },
    refresh,
    hasRole: (...roles) => !!principal && roles.some((r) => principal.roles.includes(r)),
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
