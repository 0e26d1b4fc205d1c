import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient, ApiProblem } from '../api';
import { useJournalEvents, useLiveEpoch } from '../live';
import { getCase, loadIncidents, loadZonesInForce, type ZonesInForce } from './api';
import { applyLiveEvent } from './live-incidents';
import { IncidentSet } from './map/incidents';

/*
 * The incidents the signed-in reader may see, kept current by the live stream. The set is mutated in
 * place (100,000 rows are not copied per arrival); `version` changes when it did, at most a few times
 * a second, so a burst of arrivals costs one redraw.
 */

const REDRAW_MS = 200;

export interface IncidentsState {
  readonly set: IncidentSet;
  readonly version: number;
  readonly loading: boolean;
  readonly problem: ApiProblem | null;
  readonly precision: 'exact' | 'public' | 'mixed';
  readonly reload: () => void;
}

export function useIncidents(api: ApiClient): IncidentsState {
  const epoch = useLiveEpoch();
  const setRef = useRef(new IncidentSet());
  const exactIds = useRef(new Set<string>());
  const [version, setVersion] = useState(0);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [precision, setPrecision] = useState<'exact' | 'public' | 'mixed'>('public');
  const [reloads, setReloads] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const bump = useCallback(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      setVersion((v) => v + 1);
    }, REDRAW_MS);
  }, []);

  useEffect(() => () => clearTimeout(pending.current ?? undefined), []);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    performance.mark('ops:incidents:requested');
    void loadIncidents(api).then((result) => {
      if (cancelled) return;
      setLoading(false);
      if (!result.ok) return setProblem(result.problem);
      setProblem(null);
      performance.mark('ops:incidents:loaded');
      // Rows that arrived live while the list was loading are kept: the list may predate them.
      const previous = setRef.current;
      const next = IncidentSet.from(result.value.rows, Math.max(256, result.value.rows.length));
      for (let i = 0; i < previous.size; i++) {
        const id = previous.ids[i]!;
        if (next.indexOf(id) === undefined) next.upsert(previous.row(i));
      }
      exactIds.current = new Set(result.value.precision === 'public' ? [] : next.ids.slice(0, next.size));
      setRef.current = next;
      setPrecision(result.value.precision);
      setVersion((v) => v + 1);
    });
    return () => {
      cancelled = true;
    };
  }, [api, epoch, reloads]);

  useJournalEvents((event) => {
    const change = applyLiveEvent(setRef.current, exactIds.current, event);
    if (change.kind === 'reload') setReloads((n) => n + 1);
    else if (change.kind === 'added' || change.kind === 'changed') bump();
    else if (change.kind === 'resolve') {
      // The set names this case by number: learn its number, then rename and recolour its incidents.
      void getCase(api, change.caseId).then((result) => {
        if (!result.ok) return;
        setRef.current.renameCase(`#${result.value.number}`, change.caseId);
        if (setRef.current.setCaseStatus(change.caseId, change.status) > 0) bump();
      });
    }
  });

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return { set: setRef.current, version, loading, problem, precision, reload };
}

export interface ZonesState {
  readonly zones: ZonesInForce | null;
  readonly loading: boolean;
  readonly problem: ApiProblem | null;
}

export function useZonesInForce(api: ApiClient): ZonesState {
  const epoch = useLiveEpoch();
  const [state, setState] = useState<ZonesState>({ zones: null, loading: true, problem: null });
  const [retry, setRetry] = useState(0);
  useEffect(() => {
    let cancelled = false;
    void loadZonesInForce(api).then((result) => {
      if (cancelled) return;
      setState(
        result.ok ? { zones: result.value, loading: false, problem: null } : { zones: null, loading: false, problem: result.problem },
      );
    });
    return () => {
      cancelled = true;
    };
  }, [api, epoch, retry]);
  // Zones that could not be read for want of a network are read again when it returns.
  const failedOnNetwork = state.problem?.code === 'network';
  useEffect(() => {
    if (!failedOnNetwork) return;
    const again = () => setRetry((n) => n + 1);
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, [failedOnNetwork]);
  return state;
}
