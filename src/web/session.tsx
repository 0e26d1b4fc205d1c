import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiClient, type ApiProblem, type ApiResult, type Party, type Session, type SessionUser } from './api';

/*
 * Who is signed in, for which party, and the API client that carries their CSRF token.
 * The session cookie itself is HttpOnly: the app only ever learns about it by asking the server.
 */

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out'; readonly reason: 'none' | 'ended' | 'signed-out' | 'unreachable'; readonly problem?: ApiProblem }
  | { readonly status: 'signed-in'; readonly user: SessionUser };

interface SessionContextValue {
  readonly state: SessionState;
  readonly api: ApiClient;
  /** Parties by id; `null` until the list has loaded. */
  readonly parties: ReadonlyMap<string, Party> | null;
  readonly signIn: (username: string, password: string) => Promise<ApiResult<Session>>;
  readonly signOut: () => Promise<void>;
  readonly retry: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children, api: given }: { readonly children: ReactNode; readonly api?: ApiClient }) {
  const api = useMemo(() => given ?? new ApiClient(), [given]);
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [parties, setParties] = useState<ReadonlyMap<string, Party> | null>(null);
  const [probe, setProbe] = useState(0);

  const adopt = useCallback(
    (session: Session) => {
      api.setCsrfToken(session.csrfToken);
      setState({ status: 'signed-in', user: session.user });
    },
    [api],
  );

  useEffect(() => {
    api.setOnSessionEnded(() => {
      api.setCsrfToken(null);
      setState({ status: 'signed-out', reason: 'ended' });
    });
    return () => api.setOnSessionEnded(undefined);
  }, [api]);

  useEffect(() => {
    let cancelled = false;
    void api.getSession().then((result) => {
      if (cancelled) return;
      if (result.ok) adopt(result.value);
      else if (result.problem.status === 401) setState({ status: 'signed-out', reason: 'none' });
      else setState({ status: 'signed-out', reason: 'unreachable', problem: result.problem });
    });
    return () => {
      cancelled = true;
    };
  }, [api, adopt, probe]);

  const signedInAs = state.status === 'signed-in' ? state.user.id : null;
  useEffect(() => {
    if (signedInAs === null) return;
    let cancelled = false;
    void api.listParties().then((result) => {
      // Without the list, parties are shown by their ids rather than not at all.
      if (!cancelled) setParties(new Map(result.ok ? result.value.map((p) => [p.id, p]) : []));
    });
    return () => {
      cancelled = true;
    };
  }, [api, signedInAs]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const result = await api.signIn(username, password);
      if (result.ok) adopt(result.value);
      return result;
    },
    [api, adopt],
  );

  const signOut = useCallback(async () => {
    await api.signOut();
    api.setCsrfToken(null);
    setParties(null);
    setState({ status: 'signed-out', reason: 'signed-out' });
  }, [api]);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setProbe((n) => n + 1);
  }, []);

  const value = useMemo(() => ({ state, api, parties, signIn, signOut, retry }), [state, api, parties, signIn, signOut, retry]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession needs a <SessionProvider> above it');
  return value;
}

export function useApi(): ApiClient {
  return useSession().api;
}

/** The signed-in user; only for components rendered inside the signed-in shell. */
export function useUser(): SessionUser {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser is for the signed-in shell only');
  return state.user;
}

export function partyName(parties: ReadonlyMap<string, Party> | null, id: string | null): string | null {
  if (id === null) return null;
  return parties?.get(id)?.name ?? id;
}
