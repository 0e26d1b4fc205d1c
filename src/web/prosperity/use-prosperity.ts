import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiProblem, ApiResult } from '../api';
import { useJournalEvents, useLiveEpoch } from '../live';
import { useApi } from '../session';
import { getOverview, getTranches, getUnlocks, isProsperityEvent, type Overview, type Tranche, type Unlocks } from './api';

export interface ProsperityData {
  readonly overview: Overview | null;
  readonly tranches: readonly Tranche[] | null;
  readonly unlocks: Unlocks | null;
  readonly problem: ApiProblem | null;
  readonly reload: () => void;
}

/**
 * Everything the page shows, kept current: reloaded when money moves, a tranche flips (the node
 * journals each flip), a case is verified or the text's force changes — and whenever the live stream
 * may have missed events. Answers can overtake each other; only the latest round is shown.
 */
export function useProsperity(days: number): ProsperityData {
  const api = useApi();
  const epoch = useLiveEpoch();
  const [overview, setOverview] = useState<Overview | null>(null);
  const [tranches, setTranches] = useState<readonly Tranche[] | null>(null);
  const [unlocks, setUnlocks] = useState<Unlocks | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const ticket = useRef(0);

  const reload = useCallback(() => {
    const mine = ++ticket.current;
    const keep = <T>(result: ApiResult<T>, set: (v: T) => void): ApiProblem | null => {
      if (mine !== ticket.current) return null;
      if (result.ok) set(result.value);
      return result.ok ? null : result.problem;
    };
    void Promise.all([
      getOverview(api).then((r) => keep(r, setOverview)),
      getTranches(api).then((r) => keep(r, (v) => setTranches(v.tranches))),
      getUnlocks(api, days).then((r) => keep(r, setUnlocks)),
    ]).then((problems) => {
      if (mine === ticket.current) setProblem(problems.find((p) => p !== null) ?? null);
    });
  }, [api, days]);

  useEffect(() => {
    reload();
  }, [reload, epoch]);

  useJournalEvents((event) => {
    if (isProsperityEvent(event.type)) reload();
  });

  return { overview, tranches, unlocks, problem, reload };
}
