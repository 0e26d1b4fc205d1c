import { useState, type FormEvent } from 'react';
import { actOnEscalation, newIdempotencyKey, type EscalationAction, type EscalationView } from '../api';
import { formatInstant, utcTitle } from '../format';
import { useT } from '../i18n';
import { partyName, useApi, useSession, useUser } from '../session';
import { formatCountdown, urgency, useNow } from './countdown';
import { actorsOf, currentRungOf, useEscalations } from './use-escalations';

/**
 * Every open clock, soonest deadline first: for each escalation, who must act on which rung and how
 * long is left (ticking every second), and why — the commitment, the rule that matched, the evidence.
 * The owner of the current rung acknowledges, decides and responds here.
 */
export function EscalationBoard() {
  const t = useT();
  const e = t.guarantees.escalations;
  const { escalations, problem, reload } = useEscalations();
  const now = useNow(1000);

  if (!escalations) {
    if (problem)
      return (
        <div
          className={`notice ${problem.status === 404 ? 'notice-info' : 'notice-error'}`}
          role={problem.status === 404 ? undefined : 'alert'}
        >
          <p>{problem.status === 404 ? e.notYet : `${e.loadFailed} ${problem.code === 'network' ? t.errors.network : problem.detail}`}</p>
          <button type="button" className="button button-small" onClick={reload}>
            {t.app.retry}
          </button>
        </div>
      );
    return <p className="loading">{e.loading}</p>;
  }

  const deadlineOf = (x: EscalationView) => {
    const d = currentRungOf(x)?.deadline;
    return d ? Date.parse(d) : Infinity;
  };
  const open = escalations.filter((x) => x.status === 'open').sort((a, b) => deadlineOf(a) - deadlineOf(b));
  const ended = escalations.filter((x) => x.status !== 'open');

  return (
    <div className="gu-board">
      <h2>{e.open(open.length)}</h2>
      {open.length === 0 && <p className="notice notice-info">{e.none}</p>}
      <ol className="gu-escalations">
        {open.map((x) => (
          <EscalationCard key={x.id} escalation={x} now={now} onDone={reload} />
        ))}
      </ol>
      {ended.length > 0 && (
        <details className="gu-ended">
          <summary>{e.ended(ended.length)}</summary>
          <ol className="gu-escalations">
            {ended.map((x) => (
              <EscalationCard key={x.id} escalation={x} now={now} onDone={reload} />
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}

function EscalationCard({
  escalation: x,
  now,
  onDone,
}: {
  readonly escalation: EscalationView;
  readonly now: number;
  readonly onDone: () => void;
}) {
  const t = useT();
  const e = t.guarantees.escalations;
  const locale = t.meta.locale;
  const user = useUser();
  const { parties } = useSession();
  const nameOf = (id: string) => partyName(parties, id) ?? id;
  const rung = currentRungOf(x);
  const last = x.rungs[x.rungs.length - 1] ?? null;
  const shown = rung ?? last;
  const total = x.opening.ladder.length;
  const mine = rung !== null && user.party !== null && actorsOf(x, rung.index).includes(user.party);
  const left = rung?.deadline ? Date.parse(rung.deadline) - now : null;

  return (
    <li className={`gu-escalation gu-status-${x.status}`} data-escalation={x.id}>
      <header className="gu-escalation-head">
        <h3>
          {x.opening.commitment} · {e.against(nameOf(x.opening.against))}
        </h3>
        <span className={`gu-badge gu-badge-${x.status === 'open' ? 'open' : x.status === 'responded' ? 'ok' : 'error'}`}>
          {e.status[x.status]}
        </span>
      </header>

      {shown && (
        <div className="gu-rung">
          <p className="gu-rung-title">{e.rung(shown.index, total, shown.action)}</p>
          <dl className="gu-facts">
            <div>
              <dt>{e.owner}</dt>
              <dd>{shown.ownerParties.map(nameOf).join(', ')}</dd>
            </div>
            <div>
              <dt>{e.deadline}</dt>
              <dd>
                {shown.deadline ? (
                  <time dateTime={shown.deadline} title={utcTitle(shown.deadline)}>
                    {formatInstant(shown.deadline, locale)}
                  </time>
                ) : (
                  e.noDeadline
                )}
              </dd>
            </div>
            <div>
              <dt>{e.stateLabel}</dt>
              <dd className={`gu-state gu-state-${shown.state}`}>{e.state[shown.state]}</dd>
            </div>
          </dl>
          {left !== null && (
            <p className={`gu-countdown gu-${urgency(left)}`} data-testid="countdown" aria-live="off">
              <span className="gu-countdown-time">{formatCountdown(left)}</span> {left > 0 ? e.left : e.overdue}
            </p>
          )}
          {mine && rung && <p className="gu-yours">{e.yours}</p>}
          {mine && rung && <RungActions escalation={x} state={rung.state} onDone={onDone} />}
        </div>
      )}

      <details className="gu-why" open={x.status === 'open'}>
        <summary>{e.why}</summary>
        <p>
          <a href={`#/framework?clause=${encodeURIComponent(x.opening.clause)}`}>{e.commitment(x.opening.commitment, x.opening.clause)}</a>
        </p>
        <p>
          <strong>{e.pulls}:</strong>{' '}
          {x.opening.leadResponder
            ? e.leadBackup(nameOf(x.opening.leadResponder), x.opening.backupResponder ? nameOf(x.opening.backupResponder) : null)
            : e.noLead}
        </p>
        <p>
          <strong>{e.rule}:</strong> {x.opening.rule.text}
        </p>
        <p>
          <strong>{e.evidence}:</strong>
        </p>
        <ul className="gu-evidence">
          {x.opening.evidence.map((c) => (
            <li key={c.id}>{e.caseLine(c.id, c.type, c.severity, c.independentSources, c.verifier)}</li>
          ))}
          {x.evidence
            .filter((id) => !x.opening.evidence.some((c) => c.id === id))
            .map((id) => (
              <li key={id}>{id}</li>
            ))}
        </ul>
        <details className="gu-explanation">
          <summary>{e.explanation}</summary>
          <p>{x.opening.explanation}</p>
        </details>
        {x.rungs.length > 1 && (
          <>
            <p>
              <strong>{e.history}:</strong>
            </p>
            <ol className="gu-history">
              {x.rungs.map((r) => (
                <li key={`${r.index}-${r.openedAt}`}>
                  {e.rung(r.index, total, r.action)} — {e.state[r.state]} ({e.because[r.openedBecause]},{' '}
                  <time dateTime={r.openedAt} title={utcTitle(r.openedAt)}>
                    {formatInstant(r.openedAt, locale)}
                  </time>
                  )
                </li>
              ))}
            </ol>
          </>
        )}
      </details>
    </li>
  );
}

/** The one next step the rung's state allows: acknowledge, then decide, then respond. */
function RungActions({
  escalation,
  state,
  onDone,
}: {
  readonly escalation: EscalationView;
  readonly state: string;
  readonly onDone: () => void;
}) {
  const t = useT();
  const e = t.guarantees.escalations;
  const api = useApi();
  const [note, setNote] = useState('');
  const [handOn, setHandOn] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // One key per intended action, kept across retries so a resubmission does not act twice.
  const [key, setKey] = useState(newIdempotencyKey);

  const run = async (action: EscalationAction) => {
    setBusy(true);
    setFailure(null);
    const r = await actOnEscalation(api, escalation.id, escalation.version, action, key);
    setBusy(false);
    if (r.ok) {
      setNote('');
      setHandOn(false);
      setKey(newIdempotencyKey());
      onDone();
    } else setFailure(`${e.failed} ${r.problem.detail}`);
  };
  const noteId = `gu-note-${escalation.id}`;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (state === 'decided') void run({ type: 'respond', note, handOn });
  };

  return (
    <form className="gu-actions" onSubmit={onSubmit}>
      <label htmlFor={noteId}>{state === 'decided' ? e.responseNote : e.note}</label>
      <textarea id={noteId} rows={2} value={note} onChange={(ev) => setNote(ev.target.value)} required={state === 'decided'} />
      {state === 'decided' && (
        <label className="gu-check">
          <input type="checkbox" checked={handOn} onChange={(ev) => setHandOn(ev.target.checked)} /> {e.handOn}
        </label>
      )}
      <div className="gu-buttons">
        {state === 'opened' && (
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void run({ type: 'acknowledge', note })}>
            {busy ? e.working : e.acknowledge}
          </button>
        )}
        {state === 'acknowledged' && (
          <>
            <button
              type="button"
              className="button button-primary"
              disabled={busy}
              onClick={() => void run({ type: 'decide', decision: 'act', note })}
            >
              {busy ? e.working : e.decideAct}
            </button>
            <button
              type="button"
              className="button button-quiet"
              disabled={busy}
              onClick={() => void run({ type: 'decide', decision: 'not-act', note })}
            >
              {e.decideNotAct}
            </button>
          </>
        )}
        {state === 'decided' && (
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? e.working : e.respond}
          </button>
        )}
      </div>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
    </form>
  );
}
