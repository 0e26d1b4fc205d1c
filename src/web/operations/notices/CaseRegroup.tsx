import { useRef, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { newIdempotencyKey, problemAt, type ApiProblem } from '../../api';
import { label, useT } from '../../i18n';
import { useApi } from '../../session';
import { Field } from '../../shell/Field';
import { listCases, type CaseDetailOut } from '../api';
import { caseHref } from '../view-state';
import { useNoticeMessages } from './messages-hook';
import './notices.css';

/*
 * The mediator's regrouping of a case (docs/operations-api.md): merge another case into this one, or
 * split reports out into a new case. Each command states the versions the mediator decided on, so a
 * case changed meanwhile is refused (409) rather than regrouped blind.
 */

const Changed = z.looseObject({ caseId: z.string(), version: z.number().int(), newCaseId: z.string().optional() });

export function CaseRegroup({ kase, onChanged }: { readonly kase: CaseDetailOut; readonly onChanged: () => void }) {
  const t = useNoticeMessages();
  const common = useT();
  const api = useApi();
  const [other, setOther] = useState('');
  const [mergeReason, setMergeReason] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [splitReason, setSplitReason] = useState('');
  const [outcome, setOutcome] = useState<{ kind: 'ok' | 'error'; text: string; newCaseId?: string } | null>(null);
  const [problem, setProblem] = useState<{ form: 'merge' | 'split'; problem: ApiProblem } | null>(null);
  const [busy, setBusy] = useState(false);
  const mergeKey = useRef(newIdempotencyKey());
  const splitKey = useRef(newIdempotencyKey());
  const reports = [...kase.observations, ...kase.claims];

  async function merge(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    setProblem(null);
    const wanted = other.trim().replace(/^#/, '');
    setBusy(true);
    // The mediator knows cases by number; the command names them by id and version.
    const list = await listCases(api, { limit: 500 });
    const target = list.ok ? list.value.cases.find((c) => String(c.number) === wanted || c.id === wanted) : undefined;
    if (!target) {
      setBusy(false);
      return setOutcome({ kind: 'error', text: t.regroup.notFound(`#${wanted}`) });
    }
    const result = await api.request(
      'POST',
      `/api/v1/cases/${encodeURIComponent(kase.id)}/merge`,
      Changed,
      { version: kase.version, cases: [{ id: target.id, version: target.version }], reason: mergeReason.trim() },
      { idempotencyKey: mergeKey.current },
    );
    setBusy(false);
    if (!result.ok) return setProblem({ form: 'merge', problem: result.problem });
    mergeKey.current = newIdempotencyKey();
    setOther('');
    setMergeReason('');
    setOutcome({ kind: 'ok', text: t.regroup.merged(`#${target.number}`) });
    onChanged();
  }

  async function split(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    setProblem(null);
    setBusy(true);
    const result = await api.request(
      'POST',
      `/api/v1/cases/${encodeURIComponent(kase.id)}/split`,
      Changed,
      { version: kase.version, reportIds: [...selected], reason: splitReason.trim() },
      { idempotencyKey: splitKey.current },
    );
    setBusy(false);
    if (!result.ok) return setProblem({ form: 'split', problem: result.problem });
    splitKey.current = newIdempotencyKey();
    setSelected(new Set());
    setSplitReason('');
    setOutcome({ kind: 'ok', text: t.regroup.splitDone, ...(result.value.newCaseId ? { newCaseId: result.value.newCaseId } : {}) });
    onChanged();
  }

  const err = (form: 'merge' | 'split', ...pointers: string[]) =>
    problem?.form === form && pointers.some((p) => problemAt(problem.problem, p)) ? problem.problem.detail : null;
  const general = (form: 'merge' | 'split') =>
    problem?.form === form && !['/reason', '/reportIds', '/cases'].some((p) => problemAt(problem.problem, p)) ? (
      <p className="notice notice-error" role="alert">
        {problem.problem.detail}
      </p>
    ) : null;

  return (
    <section className="panel hn-regroup" aria-labelledby="regroup-title" data-testid="case-regroup">
      <h3 id="regroup-title">{t.regroup.title}</h3>
      {outcome && (
        <p className={`notice ${outcome.kind === 'ok' ? 'notice-info' : 'notice-error'}`} role="status">
          {outcome.text} {outcome.newCaseId && <a href={caseHref(outcome.newCaseId)}>{t.regroup.openNew}</a>}
        </p>
      )}
      <div className="hn-forms">
        <form className="form hn-form" onSubmit={(e) => void merge(e)} noValidate>
          <h4>{t.regroup.mergeLegend}</h4>
          <Field id="regroup-other" label={t.regroup.mergeCase} error={err('merge', '/cases')}>
            {(c) => <input {...c} value={other} onChange={(e) => setOther(e.target.value)} inputMode="numeric" required />}
          </Field>
          <Field id="regroup-merge-reason" label={t.regroup.mergeReason} error={err('merge', '/reason')}>
            {(c) => <textarea {...c} rows={2} value={mergeReason} onChange={(e) => setMergeReason(e.target.value)} required />}
          </Field>
          {general('merge')}
          <button type="submit" className="button" disabled={busy || other.trim() === ''}>
            {t.regroup.merge}
          </button>
        </form>
        <form className="form hn-form" onSubmit={(e) => void split(e)} noValidate>
          <h4>{t.regroup.splitLegend}</h4>
          <fieldset className="hn-split-reports">
            <legend>{t.regroup.splitReports}</legend>
            {reports.map((r) => (
              <label key={r.id} className="hn-check">
                <input
                  type="checkbox"
                  checked={selected.has(r.id)}
                  onChange={(e) =>
                    setSelected((s) => {
                      const next = new Set(s);
                      if (e.target.checked) next.add(r.id);
                      else next.delete(r.id);
                      return next;
                    })
                  }
                />{' '}
                {label(common.reportTypes, r.type)} · {r.reportedBy} · {r.narrative.slice(0, 60)}
              </label>
            ))}
            {err('split', '/reportIds') && <p className="field-error">{err('split', '/reportIds')}</p>}
          </fieldset>
          <Field id="regroup-split-reason" label={t.regroup.splitReason} error={err('split', '/reason')}>
            {(c) => <textarea {...c} rows={2} value={splitReason} onChange={(e) => setSplitReason(e.target.value)} required />}
          </Field>
          {general('split')}
          <button type="submit" className="button" disabled={busy || selected.size === 0}>
            {t.regroup.split}
          </button>
        </form>
      </div>
    </section>
  );
}
