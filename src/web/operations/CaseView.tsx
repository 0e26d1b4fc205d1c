import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { POLICY, type Action } from '../../core/access/policy';
import { newIdempotencyKey, type ApiProblem, type ApiResult } from '../api';
import { formatDegrees, formatInstant, utcTitle } from '../format';
import { label, useT } from '../i18n';
import { useJournalEvents } from '../live';
import { partyName, useApi, useSession, useUser } from '../session';
import { Field } from '../shell/Field';
import { getCase, sendCaseCommand, type CaseChanged, type CaseCommand, type CaseDetailOut, type ReportOut } from './api';
import { AccessDenialForm } from './notices/AccessDenialForm';
import { CaseRegroup } from './notices/CaseRegroup';
import { viewHref } from './view-state';

/*
 * One case, as an investigator works it: observations and claims side by side (a claim never
 * overwrites an observation), why the reports were grouped, the reviewer lock, the status, findings
 * with attribution or "could not be attributed", and dissent. Every command states the version of the
 * case it was decided on; if someone changed the case meanwhile the server refuses (409) and the case
 * is reloaded for a second look.
 */

type Confidence = 'low' | 'medium' | 'high';

function allowed(roles: readonly string[], action: Action): boolean {
  const rule = POLICY[action].roles;
  if (rule === 'anyone' || rule === 'signed-in') return true;
  return roles.some((r) => (rule as readonly string[]).includes(r));
}

export function CaseView({ caseId }: { readonly caseId: string }) {
  const t = useT();
  const api = useApi();
  const user = useUser();
  const { parties } = useSession();
  const [kase, setKase] = useState<CaseDetailOut | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);
  const locale = t.meta.locale;

  useEffect(() => {
    let cancelled = false;
    void getCase(api, caseId).then((result) => {
      if (cancelled) return;
      if (result.ok) {
        setKase(result.value);
        setProblem(null);
      } else setProblem(result.problem);
    });
    return () => {
      cancelled = true;
    };
  }, [api, caseId, reloads]);

  // Someone else's change to this case shows at once.
  useJournalEvents((event) => {
    if (event.type.startsWith('case.') && (event.payload as { caseId?: unknown }).caseId === caseId) setReloads((n) => n + 1);
  });

  const run = useCallback(
    async (command: CaseCommand, key: string): Promise<ApiResult<CaseChanged>> => {
      setBusy(true);
      setNotice(null);
      const result = await sendCaseCommand(api, caseId, command, key);
      setBusy(false);
      if (result.ok) setNotice({ kind: 'ok', text: t.live.caseView.saved });
      else
        setNotice({
          kind: 'error',
          text: result.problem.pointer === '/version' ? `${t.live.caseView.conflict} (${result.problem.detail})` : result.problem.detail,
        });
      setReloads((n) => n + 1);
      return result;
    },
    [api, caseId, t],
  );

  if (problem) {
    return (
      <section className="panel">
        <a href={viewHref('queue')}>← {t.live.caseView.back}</a>
        <div className="notice notice-error" role="alert">
          {t.live.caseView.loadFailed} {problem.detail}
        </div>
      </section>
    );
  }
  if (!kase) return <p className="loading">{t.app.loading}</p>;

  const now = Date.now();
  const lockActive = kase.lock !== null && Date.parse(kase.lock.until) > now;
  const lockedByMe = lockActive && kase.lock!.by === user.username;
  const lockedByOther = lockActive && !lockedByMe;
  const mayInvestigate = allowed(user.roles, 'case.change-status');
  const mayLock = allowed(user.roles, 'case.lock');
  const mayFind = allowed(user.roles, 'case.record-finding');
  const mayDissent = allowed(user.roles, 'case.dissent') && user.party !== null;
  const who = (name: string, party: string | null) => t.live.caseView.reportedBy(name, partyName(parties, party));

  return (
    <article className="case-view" data-case={kase.id} data-status={kase.status} data-version={kase.version}>
      <p>
        <a href={viewHref('queue')}>← {t.live.caseView.back}</a>
      </p>
      <header className="case-head panel">
        <div className="case-title">
          <h2>{t.live.caseView.title(`#${kase.number}`)}</h2>
          <span className={`status-pill status status-${kase.status}`} data-testid="case-status">
            {label(t.live.statuses, kase.status)}
          </span>
          <span className="muted">{t.live.caseView.version(kase.version)}</span>
        </div>
        <p className="case-summary">
          {kase.types.map((x) => label(t.reportTypes, x)).join(', ')}
          {kase.firstOccurredAt && (
            <>
              {' · '}
              <time dateTime={kase.firstOccurredAt} title={utcTitle(kase.firstOccurredAt)}>
                {formatInstant(kase.firstOccurredAt, locale)}
              </time>
            </>
          )}
          {kase.location && (
            <>
              {' · '}
              {t.operations.latitudeValue(formatDegrees(kase.location.lat, locale), kase.location.lat >= 0)},{' '}
              {t.operations.longitudeValue(formatDegrees(kase.location.lon, locale), kase.location.lon >= 0)} (
              {kase.precision === 'exact' ? t.live.caseView.exact : t.live.caseView.coarse})
            </>
          )}
        </p>
        <div
          className={`case-lock${lockedByOther ? ' case-lock-other' : ''}`}
          data-lock={lockedByMe ? 'mine' : lockedByOther ? 'other' : 'none'}
        >
          <p>
            {lockedByMe
              ? t.live.caseView.lockedByYou(formatInstant(kase.lock!.until, locale))
              : lockedByOther
                ? t.live.caseView.lockedByOther(kase.lock!.by, formatInstant(kase.lock!.until, locale))
                : t.live.caseView.unlocked}
          </p>
          {mayLock && !lockActive && (
            <button
              type="button"
              className="button button-small"
              disabled={busy}
              onClick={() => void run({ kind: 'lock', body: { version: kase.version } }, newIdempotencyKey())}
            >
              {t.live.caseView.lock}
            </button>
          )}
          {mayLock && lockedByMe && (
            <button
              type="button"
              className="button button-small button-quiet"
              disabled={busy}
              onClick={() => void run({ kind: 'unlock', body: { version: kase.version } }, newIdempotencyKey())}
            >
              {t.live.caseView.unlock}
            </button>
          )}
        </div>
        {notice && (
          <p className={`notice ${notice.kind === 'ok' ? 'notice-info' : 'notice-error'}`} role={notice.kind === 'ok' ? 'status' : 'alert'}>
            {notice.text}
          </p>
        )}
      </header>

      <div className="case-columns">
        <section className="panel case-reports" aria-labelledby="observations-title">
          <h3 id="observations-title">
            {t.live.caseView.observations} <span className="count">{kase.observations.length}</span>
          </h3>
          <p className="section-intro">{t.live.caseView.observationsIntro}</p>
          {kase.observations.length === 0 ? (
            <p className="empty">{t.live.caseView.noObservations}</p>
          ) : (
            <ReportList reports={kase.observations} explanations={kase.explanations} />
          )}
        </section>
        <section className="panel case-reports case-claims" aria-labelledby="claims-title">
          <h3 id="claims-title">
            {t.live.caseView.claims} <span className="count">{kase.claims.length}</span>
          </h3>
          <p className="section-intro">{t.live.caseView.claimsIntro}</p>
          {kase.claims.length === 0 ? (
            <p className="empty">{t.live.caseView.noClaims}</p>
          ) : (
            <ReportList reports={kase.claims} explanations={kase.explanations} />
          )}
        </section>
      </div>

      <div className="case-columns">
        <section className="panel" aria-labelledby="findings-title">
          <h3 id="findings-title">{t.live.caseView.findings}</h3>
          {kase.findings.length === 0 ? (
            <p className="empty">{t.live.caseView.noFindings}</p>
          ) : (
            <ul className="case-records">
              {kase.findings.map((f) => (
                <li key={f.id} data-finding={f.id}>
                  <strong>
                    {f.attribution.party === null
                      ? t.live.caseView.couldNotAttribute
                      : t.live.caseView.attributedTo(
                          partyName(parties, f.attribution.party) ?? f.attribution.party,
                          t.live.caseView.confidences[f.attribution.confidence],
                        )}
                  </strong>
                  {f.severity !== null && <span className="muted"> · {t.live.caseView.severity(f.severity)}</span>}
                  <p>{f.summary}</p>
                  {f.attribution.party === null && f.attribution.reason && <p className="muted">{f.attribution.reason}</p>}
                  <p className="report-foot">{t.live.caseView.by(who(f.by, f.party), formatInstant(f.at, locale))}</p>
                </li>
              ))}
            </ul>
          )}
          <h3>{t.live.caseView.dissents}</h3>
          {kase.dissents.length === 0 ? (
            <p className="empty">{t.live.caseView.noDissents}</p>
          ) : (
            <ul className="case-records case-dissents">
              {kase.dissents.map((d) => (
                <li key={d.id} data-dissent={d.id}>
                  <p>{d.text}</p>
                  <p className="report-foot">{t.live.caseView.by(who(d.by, d.party), formatInstant(d.at, locale))}</p>
                </li>
              ))}
            </ul>
          )}
          {kase.accessDenials.length > 0 && (
            <>
              <h3>{t.live.caseView.accessDenials}</h3>
              <ul className="case-records">
                {kase.accessDenials.map((a) => (
                  <li key={a.id}>
                    <strong>{a.place}</strong> · {formatInstant(a.occurredAt, locale)}
                    {a.deniedBy && ` · ${partyName(parties, a.deniedBy)}`}
                    {a.narrative && <p>{a.narrative}</p>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <section className="panel case-actions" aria-labelledby="actions-title">
          <h3 id="actions-title" className="visually-hidden">
            {t.live.caseView.changeStatus}
          </h3>
          {mayInvestigate && <StatusForm kase={kase} busy={busy} blocked={lockedByOther} onRun={run} />}
          {mayFind && <FindingForm kase={kase} busy={busy} blocked={lockedByOther} onRun={run} />}
          {mayDissent && <DissentForm kase={kase} busy={busy} onRun={run} />}
          {!mayInvestigate && !mayFind && !mayDissent && <p className="notice notice-info">{t.live.caseView.notAllowed}</p>}
        </section>
      </div>

      <section className="panel" aria-labelledby="history-title">
        <details>
          <summary id="history-title">{t.live.caseView.history}</summary>
          <ol className="case-history">
            {kase.history.map((h) => (
              <li key={h.position}>
                <time dateTime={h.at} title={utcTitle(h.at)}>
                  {formatInstant(h.at, locale)}
                </time>{' '}
                <code>{h.type}</code> — {h.summary} <span className="muted">({who(h.actor, h.party)})</span>
              </li>
            ))}
          </ol>
        </details>
      </section>
      {allowed(user.roles, 'case.regroup') && kase.mergedInto === null && (
        <CaseRegroup kase={kase} onChanged={() => setReloads((n) => n + 1)} />
      )}
      {kase.mergedInto === null && <AccessDenialForm caseId={kase.id} />}
    </article>
  );
}

function ReportList({
  reports,
  explanations,
}: {
  readonly reports: readonly ReportOut[];
  readonly explanations: CaseDetailOut['explanations'];
}) {
  const t = useT();
  const { parties } = useSession();
  const locale = t.meta.locale;
  return (
    <ol className="report-feed">
      {reports.map((r) => {
        const why = explanations.find((e) => e.reportId === r.id);
        return (
          <li key={r.id} className="report" data-report-id={r.id} data-kind={r.kind}>
            <div className="report-head">
              <span className={`domain domain-${r.domain}`}>{label(t.reportDomains, r.domain)}</span>
              <h4 className="report-type">{label(t.reportTypes, r.type)}</h4>
              <time dateTime={r.occurredAt} title={utcTitle(r.occurredAt)}>
                {formatInstant(r.occurredAt, locale)}
              </time>
            </div>
            <p className="report-narrative">{r.narrative}</p>
            <dl className="report-meta">
              <div>
                <dt>{t.operations.source}</dt>
                <dd>{label(t.reportSources, r.source)}</dd>
              </div>
              <div>
                <dt>{t.operations.location}</dt>
                <dd>
                  {t.operations.latitudeValue(formatDegrees(r.location.lat, locale), r.location.lat >= 0)},{' '}
                  {t.operations.longitudeValue(formatDegrees(r.location.lon, locale), r.location.lon >= 0)}
                </dd>
              </div>
              {r.casualties.length > 0 && (
                <div>
                  <dt>{t.live.form.casualties}</dt>
                  <dd>
                    {r.casualties
                      .map((c) => `${c.count} ${label(t.live.form.categories, c.category)} ${label(t.live.form.outcomes, c.outcome)}`)
                      .join(', ')}
                  </dd>
                </div>
              )}
            </dl>
            {why && (
              <p className="grouping" data-rule={why.rule ?? ''}>
                <span className="grouping-label">{t.live.caseView.grouping}:</span> {why.text}
              </p>
            )}
            <p className="report-foot">{t.live.caseView.reportedBy(r.reportedBy, partyName(parties, r.party))}</p>
          </li>
        );
      })}
    </ol>
  );
}

interface FormProps {
  readonly kase: CaseDetailOut;
  readonly busy: boolean;
  readonly blocked?: boolean;
  readonly onRun: (command: CaseCommand, key: string) => Promise<ApiResult<CaseChanged>>;
}

/** One idempotency key per intended change: a double click or a retry after a lost answer records it once. */
function useCommandKey(): [() => string, () => void] {
  const key = useRef<string | null>(null);
  return [() => (key.current ??= newIdempotencyKey()), () => (key.current = null)];
}

function FormBox({
  title,
  children,
  onSubmit,
  id,
}: {
  readonly title: string;
  readonly children: ReactNode;
  readonly onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  readonly id: string;
}) {
  return (
    <form className="form case-form" aria-labelledby={`${id}-title`} noValidate onSubmit={onSubmit}>
      <h3 id={`${id}-title`}>{title}</h3>
      {children}
    </form>
  );
}

function StatusForm({ kase, busy, blocked, onRun }: FormProps) {
  const t = useT();
  const [to, setTo] = useState(kase.transitions[0] ?? '');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [key, resetKey] = useCommandKey();
  useEffect(() => setTo((current) => (kase.transitions.includes(current) ? current : (kase.transitions[0] ?? ''))), [kase.transitions]);
  if (kase.transitions.length === 0) return <p className="empty">{t.live.caseView.noTransitions}</p>;
  return (
    <FormBox
      id="status-form"
      title={t.live.caseView.changeStatus}
      onSubmit={(e) => {
        e.preventDefault();
        setErrors({});
        void onRun({ kind: 'status', body: { version: kase.version, to, reason: reason.trim() } }, key()).then((r) => {
          if (r.ok) {
            setReason('');
            resetKey();
          } else if (r.problem.pointer === '/reason' || r.problem.pointer === '/to') {
            setErrors({ [r.problem.pointer.slice(1)]: r.problem.detail });
          }
        });
      }}
    >
      <Field id="case-status-to" label={t.live.caseView.newStatus} error={errors['to'] ?? null}>
        {(p) => (
          <select {...p} value={to} onChange={(e) => setTo(e.target.value)}>
            {kase.transitions.map((s) => (
              <option key={s} value={s}>
                {label(t.live.statuses, s)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="case-status-reason" label={t.live.caseView.reason} hint={t.live.caseView.reasonHint} error={errors['reason'] ?? null}>
        {(p) => <textarea {...p} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <button type="submit" className="button button-primary" disabled={busy || blocked}>
        {t.live.caseView.apply}
      </button>
    </FormBox>
  );
}

function FindingForm({ kase, busy, blocked, onRun }: FormProps) {
  const t = useT();
  const { parties } = useSession();
  const [attributable, setAttributable] = useState(true);
  const [party, setParty] = useState('');
  const [confidence, setConfidence] = useState<Confidence>('medium');
  const [reason, setReason] = useState('');
  const [summary, setSummary] = useState('');
  const [severity, setSeverity] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [key, resetKey] = useCommandKey();
  const choices = [...(parties?.values() ?? [])].filter((p) => p.kind !== 'mechanism' && p.kind !== 'organisation');

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (attributable && party === '') found['party'] = t.operations.required;
    if (!attributable && reason.trim() === '') found['reason'] = t.operations.required;
    if (summary.trim() === '') found['summary'] = t.operations.required;
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const attribution = attributable ? { party, confidence } : { party: null, couldNotAttribute: true as const, reason: reason.trim() };
    void onRun(
      {
        kind: 'findings',
        body: { version: kase.version, attribution, summary: summary.trim(), ...(severity ? { severity: Number(severity) } : {}) },
      },
      key(),
    ).then((r) => {
      if (r.ok) {
        setSummary('');
        setReason('');
        resetKey();
      } else if (r.problem.pointer) {
        const field = r.problem.pointer.startsWith('/attribution') ? (attributable ? 'party' : 'reason') : r.problem.pointer.slice(1);
        setErrors({ [field]: r.problem.detail });
      }
    });
  };

  return (
    <FormBox id="finding-form" title={t.live.caseView.recordFinding} onSubmit={submit}>
      <fieldset className="attribution-choice">
        <legend>{t.live.caseView.attribution}</legend>
        <label>
          <input type="radio" name="attributable" checked={attributable} onChange={() => setAttributable(true)} />{' '}
          {t.live.caseView.attributeParty}
        </label>
        <label>
          <input type="radio" name="attributable" checked={!attributable} onChange={() => setAttributable(false)} />{' '}
          {t.live.caseView.cannotAttribute}
        </label>
      </fieldset>
      {attributable ? (
        <div className="field-row">
          <Field id="finding-party" label={t.live.caseView.attributeParty} error={errors['party'] ?? null}>
            {(p) => (
              <select {...p} value={party} onChange={(e) => setParty(e.target.value)}>
                <option value="">—</option>
                {choices.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="finding-confidence" label={t.live.caseView.confidence}>
            {(p) => (
              <select {...p} value={confidence} onChange={(e) => setConfidence(e.target.value as Confidence)}>
                {(['low', 'medium', 'high'] as const).map((c) => (
                  <option key={c} value={c}>
                    {t.live.caseView.confidences[c]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      ) : (
        <Field id="finding-reason" label={t.live.caseView.cannotAttributeReason} error={errors['reason'] ?? null}>
          {(p) => <textarea {...p} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      )}
      <Field id="finding-summary" label={t.live.caseView.summary} error={errors['summary'] ?? null}>
        {(p) => <textarea {...p} rows={3} value={summary} onChange={(e) => setSummary(e.target.value)} />}
      </Field>
      <Field id="finding-severity" label={t.live.caseView.severityLabel} error={errors['severity'] ?? null}>
        {(p) => (
          <select {...p} value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">{t.live.caseView.severityNone}</option>
            {[1, 2, 3, 4, 5].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" className="button button-primary" disabled={busy || blocked}>
        {t.live.caseView.saveFinding}
      </button>
    </FormBox>
  );
}

function DissentForm({ kase, busy, onRun }: FormProps) {
  const t = useT();
  const [text, setText] = useState('');
  const [finding, setFinding] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [key, resetKey] = useCommandKey();
  return (
    <FormBox
      id="dissent-form"
      title={t.live.caseView.recordDissent}
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim() === '') return setError(t.operations.required);
        setError(null);
        void onRun(
          { kind: 'dissents', body: { version: kase.version, text: text.trim(), ...(finding ? { findingId: finding } : {}) } },
          key(),
        ).then((r) => {
          if (r.ok) {
            setText('');
            resetKey();
          } else if (r.problem.pointer === '/text') setError(r.problem.detail);
        });
      }}
    >
      {kase.findings.length > 0 && (
        <Field id="dissent-finding" label={t.live.caseView.dissentFinding}>
          {(p) => (
            <select {...p} value={finding} onChange={(e) => setFinding(e.target.value)}>
              <option value="">{t.live.caseView.dissentCase}</option>
              {kase.findings.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.summary.slice(0, 80)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field id="dissent-text" label={t.live.caseView.dissentText} error={error}>
        {(p) => <textarea {...p} rows={3} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <button type="submit" className="button" disabled={busy}>
        {t.live.caseView.saveDissent}
      </button>
    </FormBox>
  );
}
