import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiProblem, ApiResult } from '../api';
import { useJournalEvents, useLiveEpoch } from '../live';
import { useApi } from '../session';
import {
  getAggregates,
  getFormulas,
  getPersons,
  getPublished,
  getReconciliation,
  getTranches,
  isExchangeEvent,
  type Aggregates,
  type Formula,
  type Person,
  type Published,
  type Reconciliation,
  type Tranche,
} from './api';

export interface ExchangesView {
  readonly bureau: boolean;
  readonly intermediary: boolean;
  readonly mediator: boolean;
}

export interface ExchangesData {
  readonly formulas: Formula[];
  readonly persons: Person[];
  readonly reconciliation: Reconciliation | null;
  readonly tranches: Tranche[];
  readonly aggregates: Aggregates | null;
  readonly published: Published | null;
  readonly problem: ApiProblem | null;
  readonly reload: () => void;
}

/**
 * What the exchanges page shows, asked for only where the reader's role may read it, and reloaded
 * when an exchange event reaches this reader on the live stream (the stream carries only events
 * the reader may see: another side's list never causes a reload here).
 */
export function useExchanges(view: ExchangesView): ExchangesData {
  const api = useApi();
  const epoch = useLiveEpoch();
  const [formulas, setFormulas] = useState<Formula[]>([]);
  const [persons, setPersons] = useState<Person[]>([]);
  const [reconciliation, setReconciliation] = useState<Reconciliation | null>(null);
  const [tranches, setTranches] = useState<Tranche[]>([]);
  const [aggregates, setAggregates] = useState<Aggregates | null>(null);
  const [published, setPublished] = useState<Published | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const ticket = useRef(0);
  const participant = view.bureau || view.intermediary;

  const reload = useCallback(() => {
    const mine = ++ticket.current;
    const keep = <T>(result: ApiResult<T>, set: (v: T) => void): ApiProblem | null => {
      if (mine !== ticket.current) return null;
      if (result.ok) set(result.value);
      return result.ok ? null : result.problem;
    };
    const none = Promise.resolve(null);
    void Promise.all([
      participant || view.mediator ? getFormulas(api).then((r) => keep(r, (v) => setFormulas(v.formulas))) : none,
      participant ? getPersons(api).then((r) => keep(r, (v) => setPersons(v.persons))) : none,
      participant ? getReconciliation(api).then((r) => keep(r, setReconciliation)) : none,
      participant ? getTranches(api).then((r) => keep(r, (v) => setTranches(v.tranches))) : none,
      participant || view.mediator ? getAggregates(api).then((r) => keep(r, setAggregates)) : none,
      getPublished(api).then((r) => keep(r, setPublished)),
    ]).then((problems) => {
      if (mine === ticket.current) setProblem(problems.find((p) => p !== null) ?? null);
    });
  }, [api, participant, view.mediator]);

  useEffect(() => {
    reload();
  }, [reload, epoch]);

  useJournalEvents((event) => {
    if (isExchangeEvent(event.type)) reload();
  });

  return { formulas, persons, reconciliation, tranches, aggregates, published, problem, reload };
}
