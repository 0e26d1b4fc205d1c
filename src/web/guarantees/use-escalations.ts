import { useCallback, useEffect, useRef, useState } from 'react';
import { listEscalations, type ApiProblem, type EscalationView } from '../api';
import { useJournalEvents, useLiveEpoch } from '../live';
import { useApi } from '../session';

export interface EscalationsState {
  readonly escalations: readonly EscalationView[] | null;
  readonly problem: ApiProblem | null;
  readonly reload: () => void;
}

/**
 * The escalations the reader may see, kept current: reloaded when an `escalation.*` event arrives on
 * the live stream (an acknowledgement made elsewhere, a rung missed by the clock) and whenever the
 * stream may have missed events. Bursts (a clock firing several rungs) are folded into one reload.
 */
export function useEscalations(): EscalationsState {
  const api = useApi();
  const epoch = useLiveEpoch();
  const [escalations, setEscalations] = useState<readonly EscalationView[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const ticket = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);

  const reload = useCallback(() => {
    const mine = ++ticket.current;
    void listEscalations(api).then((r) => {
      if (mine !== ticket.current) return;
      if (r.ok) {
        setEscalations(r.value);
        setProblem(null);
      } else setProblem(r.problem);
    });
  }, [api]);

  useEffect(() => {
    reload();
  }, [reload, epoch]);
  useEffect(() => () => clearTimeout(pending.current), []);

  useJournalEvents((event) => {
    if (!event.type.startsWith('escalation.')) return;
    clearTimeout(pending.current);
    pending.current = setTimeout(reload, 150);
  });

  return { escalations, problem, reload };
}

/** The rung the escalation is on, when it is open (as core's `currentRung`, on the answer's shape). */
export function currentRungOf(e: EscalationView) {
  return e.status === 'open' ? (e.rungs[e.rungs.length - 1] ?? null) : null;
}

/** Parties that may act on the rung: its owners and, when the plan says so, their coalitions' members. */
export function actorsOf(e: EscalationView, rungIndex: number): readonly string[] {
  const plan = e.opening.ladder.find((r) => r.index === rungIndex);
  return plan?.actors ?? plan?.ownerParties ?? [];
}
