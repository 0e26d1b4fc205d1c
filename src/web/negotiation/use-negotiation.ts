import { useCallback, useEffect, useRef, useState } from 'react';
import { getFramework, getFrameworkVersion, type ApiProblem, type ApiResult } from '../api';
import { useJournalEvents, useLiveEpoch } from '../live';
import { useApi } from '../session';
import { getConsole, getGapMap, getTrend, getZopa, isNegotiationEvent, type Console, type GapMap, type Trend, type Zopa } from './api';

type Clause = import('../../core/framework/model').Clause;

export interface NegotiationData {
  readonly gapMap: GapMap | null;
  readonly trend: Trend | null;
  readonly zopa: Zopa | null;
  readonly console: Console | null;
  /** The clauses of the current framework version, by id (text and alternatives for the detail view). */
  readonly clauses: ReadonlyMap<string, Clause>;
  readonly problem: ApiProblem | null;
  /** Increments on every reload, so views that load more (a clause's positions) follow. */
  readonly generation: number;
  readonly reload: () => void;
}

/**
 * Everything the workspace shows, kept current: reloaded when a position, proposal or comment event
 * reaches this reader on the live stream (the stream carries only what the reader may see, so
 * another delegation's private position never causes a reload here) and whenever events may have
 * been missed. The mediator's panels are asked for only by a mediator.
 */
export function useNegotiation(isMediator: boolean): NegotiationData {
  const api = useApi();
  const epoch = useLiveEpoch();
  const [gapMap, setGapMap] = useState<GapMap | null>(null);
  const [trend, setTrend] = useState<Trend | null>(null);
  const [zopa, setZopa] = useState<Zopa | null>(null);
  const [consoleData, setConsole] = useState<Console | null>(null);
  const [clauses, setClauses] = useState<ReadonlyMap<string, Clause>>(new Map());
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [generation, setGeneration] = useState(0);
  // Answers can overtake each other; only the latest round is shown.
  const ticket = useRef(0);

  const reload = useCallback(() => {
    const mine = ++ticket.current;
    const keep = <T>(result: ApiResult<T>, set: (v: T) => void): ApiProblem | null => {
      if (mine !== ticket.current) return null;
      if (result.ok) set(result.value);
      return result.ok ? null : result.problem;
    };
    void Promise.all([
      getGapMap(api).then((r) => keep(r, setGapMap)),
      getTrend(api).then((r) => keep(r, setTrend)),
      isMediator ? getZopa(api).then((r) => keep(r, setZopa)) : Promise.resolve(null),
      isMediator ? getConsole(api).then((r) => keep(r, setConsole)) : Promise.resolve(null),
    ]).then((problems) => {
      if (mine !== ticket.current) return;
      setProblem(problems.find((p) => p !== null) ?? null);
      setGeneration((g) => g + 1);
    });
  }, [api, isMediator]);

  useEffect(() => {
    reload();
  }, [reload, epoch]);

  useJournalEvents((event) => {
    if (isNegotiationEvent(event.type)) reload();
    if (event.type.startsWith('framework.version')) void loadClauses();
  });

  const loadClauses = useCallback(async () => {
    const overview = await getFramework(api);
    if (!overview.ok || overview.value.versions.length === 0) return;
    const latest = Math.max(...overview.value.versions.map((v) => v.number));
    const doc = await getFrameworkVersion(api, latest);
    if (!doc.ok) return;
    const byId = new Map<string, Clause>();
    for (const chapter of doc.value.document.chapters)
      for (const article of chapter.articles) for (const clause of article.clauses) byId.set(clause.id, clause);
    setClauses(byId);
  }, [api]);

  useEffect(() => {
    void loadClauses();
  }, [loadClauses]);

  return { gapMap, trend, zopa, console: consoleData, clauses, problem, generation, reload };
}
