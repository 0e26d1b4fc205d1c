import type { ApiProblem, JournalStatus } from '../api';
import { formatInstant, shortHash, utcTitle } from '../format';
import { label, useT } from '../i18n';

interface Props {
  readonly status: JournalStatus | null;
  readonly problem: ApiProblem | null;
  readonly checking: boolean;
  readonly onCheck: () => void;
}

/** Normalises a fault code (`bad_signature`, `Bad signature`) to the dictionary's form. */
function faultKey(fault: string): string {
  return fault
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

export function ChainStatus({ status, problem, checking, onCheck }: Props) {
  const t = useT();
  const locale = t.meta.locale;
  const state = status ? (status.ok ? 'ok' : 'broken') : problem ? 'unknown' : 'checking';

  return (
    <section className="chain-status" data-state={state} aria-labelledby="chain-title" aria-busy={checking || undefined}>
      <div className="chain-status-head">
        <h2 id="chain-title" className="visually-hidden">
          {t.audit.chainTitle}
        </h2>
        <span className="chain-status-icon" aria-hidden="true">
          {state === 'ok' ? (
            <svg viewBox="0 0 24 24" width="28" height="28">
              <circle cx="12" cy="12" r="11" fill="currentColor" />
              <path d="M7 12.5l3.2 3.2L17 9" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
          ) : state === 'broken' ? (
            <svg viewBox="0 0 24 24" width="28" height="28">
              <circle cx="12" cy="12" r="11" fill="currentColor" />
              <path d="M8 8l8 8M16 8l-8 8" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" />
            </svg>
          ) : (
            <svg viewBox="0 0 24 24" width="28" height="28">
              <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2" strokeDasharray="4 3" />
            </svg>
          )}
        </span>
        <div className="chain-status-title" role="status">
          {state === 'ok' && t.audit.verified}
          {state === 'broken' && t.audit.broken}
          {state === 'checking' && t.audit.checking}
          {state === 'unknown' && t.audit.statusFailed}
        </div>
        <button type="button" className="button button-small" onClick={onCheck} disabled={checking}>
          {t.audit.checkAgain}
        </button>
      </div>

      {status && !status.ok && status.fault && (
        <div className="chain-fault" role="alert">
          <p>
            <strong>{t.audit.faultAt(status.fault.position, label(t.audit.faults, faultKey(status.fault.fault)))}</strong>
          </p>
          <p>{status.fault.message}</p>
        </div>
      )}
      {problem && !status && <p className="chain-problem">{problem.detail}</p>}

      {status && (
        <ul className="chain-facts">
          {/* When the chain is broken the count is what was verified before the fault, not the journal's size. */}
          <li>{status.ok ? t.audit.events(status.count) : t.audit.verifiedBefore(status.count)}</li>
          {status.ok && (
            <li>
              {status.lastCheckpoint ? (
                <>
                  {t.audit.checkpoints(status.checkpoints)}
                  {' · '}
                  <span title={utcTitle(status.lastCheckpoint.recordedAt)}>
                    {t.audit.lastCheckpoint(status.lastCheckpoint.position, formatInstant(status.lastCheckpoint.recordedAt, locale))}
                  </span>
                </>
              ) : (
                t.audit.noCheckpoint
              )}
            </li>
          )}
          <li>
            {t.audit.head}: <code title={status.head}>{shortHash(status.head)}</code>
          </li>
          <li className="chain-checked" title={utcTitle(status.checkedAt)}>
            {t.audit.checkedAt(formatInstant(status.checkedAt, locale))}
          </li>
        </ul>
      )}
    </section>
  );
}
