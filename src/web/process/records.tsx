import { useEffect, useRef, useState, type FormEvent } from 'react';
import { getFramework, newIdempotencyKey, type ApiProblem, type ApiResult, type FrameworkVersionSummary } from '../api';
import { useApi } from '../session';
import { Field } from '../shell/Field';
import { changeStatus, recordAttendance, recordMinutes, recordOutcome, type MeetingDetail } from './api';
import { useProcessT } from './messages';

/*
 * What the meeting panel offers once a meeting has taken place: minutes with the labels that decide
 * who reads them, who attended and how, and the decisions taken (linked to clauses and a version).
 * Also the mediator's override when the sequence says a meeting cannot have been held yet.
 */

/** One submission at a time, one idempotency key per attempt, the server's problem kept for display. */
function useSubmit(onSaved: () => void) {
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const key = useRef(newIdempotencyKey());
  const run = async (send: (key: string) => Promise<ApiResult<unknown>>): Promise<boolean> => {
    setSaving(true);
    setSaved(false);
    const r = await send(key.current);
    setSaving(false);
    key.current = newIdempotencyKey();
    setProblem(r.ok ? null : r.problem);
    if (r.ok) {
      setSaved(true);
      onSaved();
    }
    return r.ok;
  };
  const errorAt = (pointer: string) =>
    problem?.pointer && (problem.pointer === pointer || problem.pointer.startsWith(`${pointer}/`)) ? problem.detail : null;
  return { problem, saving, saved, run, errorAt };
}

function Problem({ problem, shown }: { problem: ApiProblem | null; shown: boolean }) {
  if (!problem || shown) return null;
  return (
    <p className="pr-problem" role="alert">
      {problem.detail}
    </p>
  );
}

/** The refusal to record a meeting held, and the mediator's way past it: a reason, kept in the journal. */
export function OverrideForm({ id, onDone, onCancel }: { id: string; onDone: () => void; onCancel: () => void }) {
  const p = useProcessT();
  const api = useApi();
  const [reason, setReason] = useState('');
  const s = useSubmit(onDone);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void s.run((key) => changeStatus(api, id, 'held', key, { reason }));
  };
  return (
    <form className="pr-override" data-testid="override-form" onSubmit={submit}>
      <h3>{p.override.title}</h3>
      <p className="small">{p.override.lead}</p>
      <Field id="pr-override-reason" label={p.override.reason} error={s.errorAt('/reason')}>
        {(c) => <textarea {...c} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} required />}
      </Field>
      <Problem problem={s.problem} shown={s.errorAt('/reason') !== null} />
      <div className="pr-actions">
        <button type="submit" className="button danger" disabled={s.saving}>
          {p.override.submit}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {p.override.cancel}
        </button>
      </div>
    </form>
  );
}

/** Labels a writer may choose: the whole process, the mediator, the intermediary, and each delegation present. */
function labelChoices(meeting: MeetingDetail, ownParty: string | null): string[] {
  const parties = new Set(meeting.participants.map((x) => x.party).filter((x): x is string => !!x && x !== 'secretariat'));
  if (ownParty) parties.add(ownParty);
  return ['process', 'mediator', 'intermediary', ...[...parties].sort().map((x) => `party:${x}`)];
}

function MinutesForm({
  meeting,
  ownParty,
  isMediator,
  onSaved,
}: {
  meeting: MeetingDetail;
  ownParty: string | null;
  isMediator: boolean;
  onSaved: () => void;
}) {
  const p = useProcessT();
  const api = useApi();
  const [text, setText] = useState('');
  // The narrowest circle the writer belongs to, until they choose to share wider.
  const [labels, setLabels] = useState<string[]>([isMediator || !ownParty ? 'mediator' : `party:${ownParty}`]);
  const s = useSubmit(onSaved);
  const toggle = (label: string, on: boolean) => setLabels((ls) => (on ? [...ls, label] : ls.filter((x) => x !== label)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await s.run((key) => recordMinutes(api, meeting.id, { text, visibility: labels }, key))) setText('');
  };
  const labelText = (l: string) => (l.startsWith('party:') ? p.records.partyLabel(l.slice(6)) : (p.records.labels[l] ?? l));
  return (
    <form className="pr-record" data-testid="minutes-form" onSubmit={(e) => void submit(e)}>
      <h4>{p.records.minutes}</h4>
      <Field id={`pr-minutes-${meeting.id}`} label={p.records.minutesText} error={s.errorAt('/text')}>
        {(c) => <textarea {...c} rows={3} value={text} onChange={(e) => setText(e.target.value)} required />}
      </Field>
      <fieldset className="pr-labels" aria-describedby={s.errorAt('/visibility') ? 'pr-labels-error' : undefined}>
        <legend>{p.records.whoReads}</legend>
        {labelChoices(meeting, ownParty).map((l) => (
          <label key={l} className={`pr-label-choice${labels.includes(l) ? ' on' : ''}`}>
            <input type="checkbox" value={l} checked={labels.includes(l)} onChange={(e) => toggle(l, e.target.checked)} />
            {labelText(l)}
          </label>
        ))}
        {s.errorAt('/visibility') && (
          <p id="pr-labels-error" className="field-error">
            {s.errorAt('/visibility')}
          </p>
        )}
      </fieldset>
      <Problem problem={s.problem} shown={s.errorAt('/text') !== null || s.errorAt('/visibility') !== null} />
      <div className="pr-actions">
        <button type="submit" className="button primary" disabled={s.saving}>
          {p.records.saveMinutes}
        </button>
        {s.saved && <span className="pr-ok small">{p.records.saved}</span>}
      </div>
    </form>
  );
}

function AttendanceForm({ meeting, onSaved }: { meeting: MeetingDetail; onSaved: () => void }) {
  const p = useProcessT();
  const api = useApi();
  const recorded = new Map(meeting.attendance.map((a) => [a.participant, a]));
  const [rows, setRows] = useState(() =>
    meeting.participants.map((x) => {
      const a = recorded.get(x.name);
      return { participant: x.name, present: a ? a.present : true, mode: a?.mode ?? x.mode };
    }),
  );
  const s = useSubmit(onSaved);
  const set = (i: number, patch: Partial<(typeof rows)[number]>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void s.run((key) =>
      recordAttendance(
        api,
        meeting.id,
        rows.map((r) => (r.present ? r : { participant: r.participant, present: false })),
        key,
      ),
    );
  };
  return (
    <form className="pr-record" data-testid="attendance-form" onSubmit={submit}>
      <h4>{p.records.attendance}</h4>
      <table className="pr-participants">
        <thead>
          <tr>
            <th>{p.detail.participants}</th>
            <th>{p.records.attended}</th>
            <th>{p.records.how}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.participant}>
              <td>{r.participant}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${r.participant}: ${p.records.attended}`}
                  checked={r.present}
                  onChange={(e) => set(i, { present: e.target.checked })}
                />
              </td>
              <td>
                <select
                  aria-label={`${r.participant}: ${p.records.how}`}
                  value={r.mode}
                  disabled={!r.present}
                  onChange={(e) => set(i, { mode: e.target.value })}
                >
                  <option value="in-person">{p.modes['in-person']}</option>
                  <option value="video">{p.modes.video}</option>
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Problem problem={s.problem} shown={false} />
      <div className="pr-actions">
        <button type="submit" className="button primary" disabled={s.saving || rows.length === 0}>
          {p.records.saveAttendance}
        </button>
        {s.saved && <span className="pr-ok small">{p.records.saved}</span>}
      </div>
    </form>
  );
}

function useVersions(): FrameworkVersionSummary[] {
  const api = useApi();
  const [versions, setVersions] = useState<FrameworkVersionSummary[]>([]);
  useEffect(() => {
    let live = true;
    void getFramework(api).then((r) => {
      if (live && r.ok) setVersions([...r.value.versions].reverse());
    });
    return () => {
      live = false;
    };
  }, [api]);
  return versions;
}

function OutcomeForm({ meeting, onSaved }: { meeting: MeetingDetail; onSaved: () => void }) {
  const p = useProcessT();
  const api = useApi();
  const versions = useVersions();
  const agendaClauses = [...new Set(meeting.agenda.flatMap((a) => a.clauses))];
  const [decision, setDecision] = useState('');
  const [clauses, setClauses] = useState(agendaClauses.join(', '));
  const [hash, setHash] = useState('');
  const s = useSubmit(onSaved);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ids = clauses
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean);
    if (await s.run((key) => recordOutcome(api, meeting.id, { decision, clauses: ids, versionHash: hash || null }, key))) setDecision('');
  };
  return (
    <form className="pr-record" data-testid="outcome-form" onSubmit={(e) => void submit(e)}>
      <h4>{p.records.outcome}</h4>
      <Field id={`pr-decision-${meeting.id}`} label={p.records.decision} error={s.errorAt('/decision')}>
        {(c) => <textarea {...c} rows={2} value={decision} onChange={(e) => setDecision(e.target.value)} required />}
      </Field>
      <div className="pr-grid">
        <Field id={`pr-clauses-${meeting.id}`} label={p.records.clauses} hint={p.records.clausesHint} error={s.errorAt('/clauses')}>
          {(c) => <input {...c} value={clauses} onChange={(e) => setClauses(e.target.value)} />}
        </Field>
        <Field id={`pr-version-${meeting.id}`} label={p.records.version} error={s.errorAt('/versionHash')}>
          {(c) => (
            <select {...c} value={hash} onChange={(e) => setHash(e.target.value)}>
              <option value="">{p.records.noVersion}</option>
              {versions.map((v) => (
                <option key={v.hash} value={v.hash}>
                  {p.records.versionOption(v.number, v.title)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Problem
        problem={s.problem}
        shown={s.errorAt('/decision') !== null || s.errorAt('/clauses') !== null || s.errorAt('/versionHash') !== null}
      />
      <div className="pr-actions">
        <button type="submit" className="button primary" disabled={s.saving}>
          {p.records.saveOutcome}
        </button>
        {s.saved && <span className="pr-ok small">{p.records.saved}</span>}
      </div>
    </form>
  );
}

/** Minutes for the mediator and delegates; attendance and outcomes for the mediator. */
export function RecordsPanel({
  meeting,
  canPlan,
  canWriteMinutes,
  ownParty,
  onSaved,
}: {
  meeting: MeetingDetail;
  canPlan: boolean;
  canWriteMinutes: boolean;
  ownParty: string | null;
  onSaved: () => void;
}) {
  const p = useProcessT();
  if (!canPlan && !canWriteMinutes) return null;
  return (
    <section className="pr-records" data-testid="records" aria-label={p.records.title}>
      <h3>{p.records.title}</h3>
      {canWriteMinutes && <MinutesForm meeting={meeting} ownParty={ownParty} isMediator={canPlan} onSaved={onSaved} />}
      {canPlan && meeting.participants.length > 0 && <AttendanceForm meeting={meeting} onSaved={onSaved} />}
      {canPlan && <OutcomeForm meeting={meeting} onSaved={onSaved} />}
    </section>
  );
}
