import { useEffect, useMemo } from 'react';
import { formatDuration } from '../../core/guarantees/duration';
import { documentOf, problemOf, useFrameworkOverview, useVersionDocuments } from '../framework/use-framework';
import { useT } from '../i18n';
import { partyName, useSession, useUser } from '../session';
import { formatCountdown, urgency, useNow } from './countdown';
import { clauseHref } from './heatmap';
import { onTheHook, textInForce } from './on-the-hook';
import { actorsOf, currentRungOf, useEscalations } from './use-escalations';

/**
 * For the signed-in user's party: the commitments of the framework in force that bind it, the rungs
 * it owns with their deadlines, and the escalations whose current rung is its to act on now.
 */
export function OnTheHook() {
  const t = useT();
  const h = t.guarantees.hook;
  const user = useUser();
  const party = user.party;
  const { parties } = useSession();
  const name = partyName(parties, party) ?? '';
  const { overview, problem } = useFrameworkOverview();
  const { entries, request } = useVersionDocuments();
  const inForce = overview?.inForce?.number ?? null;
  useEffect(() => {
    if (inForce !== null && party !== null) request(inForce);
  }, [inForce, party, request]);
  const entry = inForce !== null ? entries.get(inForce) : undefined;
  const doc = documentOf(entry)?.document ?? null;
  const hook = useMemo(() => {
    const text = doc ? textInForce(doc) : null;
    return text && party ? onTheHook(text, party) : null;
  }, [doc, party]);
  const { escalations } = useEscalations();
  const now = useNow(1000);

  if (party === null) return <p className="notice notice-info">{h.noParty}</p>;
  const failure = problem ?? problemOf(entry);
  if (failure)
    return (
      <div className="notice notice-error" role="alert">
        <p>{failure.code === 'network' ? t.errors.network : failure.detail}</p>
      </div>
    );
  if (!overview) return <p className="loading">{t.app.loading}</p>;
  if (inForce === null) return <p className="notice notice-info">{h.noFramework}</p>;
  if (!hook) return <p className="loading">{t.app.loading}</p>;

  const mineOpen = (escalations ?? []).filter((x) => {
    const rung = currentRungOf(x);
    return rung !== null && actorsOf(x, rung.index).includes(party);
  });

  return (
    <div className="gu-hook">
      <p className="gu-hook-intro">{h.intro(name)}</p>
      <section aria-labelledby="gu-open-now">
        <h2 id="gu-open-now">{h.openNow}</h2>
        {mineOpen.length === 0 ? (
          <p className="gu-note">{h.nothingOpen}</p>
        ) : (
          <ul className="gu-hook-open">
            {mineOpen.map((x) => {
              const rung = currentRungOf(x)!;
              const left = rung.deadline ? Date.parse(rung.deadline) - now : null;
              return (
                <li key={x.id}>
                  <strong>{x.opening.commitment}</strong> — {rung.action}
                  {left !== null && (
                    <span className={`gu-countdown gu-${urgency(left)}`}>
                      {' '}
                      <span className="gu-countdown-time">{formatCountdown(left)}</span>{' '}
                      {left > 0 ? t.guarantees.escalations.left : t.guarantees.escalations.overdue}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {hook.length === 0 ? (
        <p className="notice notice-info">{h.none(name)}</p>
      ) : (
        <ul className="gu-hook-list">
          {hook.map(({ commitment: c, roles, rungs }) => (
            <li key={c.id} className="gu-hook-item" data-commitment={c.id}>
              <h3>
                <a href={clauseHref(c.source.clause, null)}>{c.id}</a>{' '}
                {roles.map((r) => (
                  <span key={r} className={`gu-badge gu-role-${r}`}>
                    {h.role[r]}
                  </span>
                ))}
              </h3>
              <p>
                {h.domainZones(t.guarantees.domains[c.domain] ?? c.domain, c.zones.length ? c.zones.join(', ') : h.everywhere)} ·{' '}
                {c.breachTypes.join(', ')}
              </p>
              <p>
                {t.framework.part.trigger(
                  c.trigger.count,
                  c.trigger.minSeverity,
                  c.trigger.window ? formatDuration(c.trigger.window) : null,
                )}
              </p>
              {rungs.length > 0 && (
                <>
                  <p>
                    <strong>{h.ladder}:</strong>
                  </p>
                  <ol className="gu-hook-rungs">
                    {rungs.map((r) => (
                      <li key={r.id}>{h.rungLine(r.action, r.deadline ? formatDuration(r.deadline) : null)}</li>
                    ))}
                  </ol>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
