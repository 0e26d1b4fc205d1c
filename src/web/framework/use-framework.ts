import { useCallback, useEffect, useRef, useState } from 'react';
import {
  getFramework,
  getFrameworkVersion,
  type ApiProblem,
  type ApiResult,
  type FrameworkOverview,
  type FrameworkVersionDocument,
} from '../api';
import { useJournalEvents, useLiveEpoch } from '../live';
import { useApi } from '../session';

/** Journal events that change what the framework page shows: framework.version-recorded, .signed, .force-changed. */
export function isFrameworkEvent(type: string): boolean {
  return type.startsWith('framework.');
}

export interface FrameworkOverviewState {
  readonly overview: FrameworkOverview | null;
  readonly problem: ApiProblem | null;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * The versions, the sign-off and what is in force, kept current: reloaded when a framework event
 * arrives on the live stream (a signature made elsewhere shows here within a second) and whenever the
 * stream may have missed events.
 */
export function useFrameworkOverview(): FrameworkOverviewState {
  const api = useApi();
  const epoch = useLiveEpoch();
  const [overview, setOverview] = useState<FrameworkOverview | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [loading, setLoading] = useState(true);
  // Answers can overtake each other; only the latest request's answer is shown.
  const ticket = useRef(0);

  const reload = useCallback(() => {
    const mine = ++ticket.current;
    void getFramework(api).then((result) => {
      if (mine !== ticket.current) return;
      setLoading(false);
      if (result.ok) {
        setOverview(result.value);
        setProblem(null);
      } else {
        setProblem(result.problem);
      }
    });
  }, [api]);

  useEffect(() => {
    reload();
  }, [reload, epoch]);

  useJournalEvents((event) => {
    if (isFrameworkEvent(event.type)) reload();
  });

  return { overview, problem, loading, reload };
}

export type DocumentEntry = { readonly status: 'loading' } | ApiResult<FrameworkVersionDocument>;

/**
 * Versions are immutable, so each is fetched once per visit and kept. `request(n)` starts a fetch if
 * none is under way; `entries` re-renders the page when one arrives.
 */
export function useVersionDocuments(): { readonly entries: ReadonlyMap<number, DocumentEntry>; readonly request: (n: number) => void } {
  const api = useApi();
  const [entries, setEntries] = useState<ReadonlyMap<number, DocumentEntry>>(new Map());
  const asked = useRef(new Set<number>());
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const request = useCallback(
    (n: number) => {
      if (asked.current.has(n)) return;
      asked.current.add(n);
      setEntries((current) => new Map(current).set(n, { status: 'loading' }));
      void getFrameworkVersion(api, n).then((result) => {
        if (!mounted.current) return;
        // A failure may be passing (the network): let the next request try again.
        if (!result.ok) asked.current.delete(n);
        setEntries((current) => new Map(current).set(n, result));
      });
    },
    [api],
  );
  return { entries, request };
}

export function documentOf(entry: DocumentEntry | undefined): FrameworkVersionDocument | null {
  return entry && 'ok' in entry && entry.ok ? entry.value : null;
}

export function problemOf(entry: DocumentEntry | undefined): ApiProblem | null {
  return entry && 'ok' in entry && !entry.ok ? entry.problem : null;
}
