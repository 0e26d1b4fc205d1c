import { useRef, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { newIdempotencyKey, problemAt, type ApiProblem } from '../../api';
import { useApi, useSession, useUser } from '../../session';
import { Field } from '../../shell/Field';
import { useNoticeMessages } from './messages-hook';
import './notices.css';
import { toInstant } from './time';

/*
 * A monitors' access denial (docs/operations-api.md): a patrol stopped or turned back. Shown to monitors
 * only (the policy's `access-denial.record`); the server's refusal of a field is shown next to it.
 */

const Recorded = z.looseObject({ id: z.string(), position: z.number().int() });

export function AccessDenialForm({ caseId }: { readonly caseId?: string }) {
  const t = useNoticeMessages();
  const user = useUser();
  if (!user.roles.includes('monitor')) return null;
  return <Form t={t} caseId={caseId} />;
}

function Form({ t, caseId }: { readonly t: ReturnType<typeof useNoticeMessages>; readonly caseId: string | undefined }) {
  const api = useApi();
  const { parties } = useSession();
  const [occurredAt, setOccurredAt] = useState('');
  const [place, setPlace] = useState('');
  const [lon, setLon] = useState('');
  const [lat, setLat] = useState('');
  const [deniedBy, setDeniedBy] = useState('');
  const [duration, setDuration] = useState('');
  const [narrative, setNarrative] = useState('');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [recorded, setRecorded] = useState(false);
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());
  const err = (...pointers: string[]) => (problem && pointers.some((p) => problemAt(problem, p)) ? problem.detail : null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setRecorded(false);
    const minutes = duration.trim() === '' ? undefined : Number(duration);
    const result = await api.request(
      'POST',
      '/api/v1/access-denials',
      Recorded,
      {
        occurredAt: toInstant(occurredAt) ?? '',
        location: { lon: Number(lon), lat: Number(lat) },
        deniedBy: deniedBy || null,
        place: place.trim(),
        ...(minutes !== undefined ? { durationMinutes: minutes } : {}),
        ...(caseId ? { caseId } : {}),
        narrative: narrative.trim(),
      },
      { idempotencyKey: key.current },
    );
    setBusy(false);
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setRecorded(true);
    key.current = newIdempotencyKey();
    setPlace('');
    setNarrative('');
  }

  const partyList = parties ? [...parties.values()] : [];
  return (
    <form
      className="form hn-form panel"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="access-denial-title"
      noValidate
      data-testid="access-denial-form"
    >
      <h2 id="access-denial-title">{t.access.title}</h2>
      <p className="field-hint">{t.access.intro}</p>
      <div className="field-row">
        <Field id="ad-when" label={t.access.occurredAt} error={err('/occurredAt')}>
          {(c) => <input {...c} type="datetime-local" value={occurredAt} onChange={(e) => setOccurredAt(e.target.value)} required />}
        </Field>
        <Field id="ad-denied-by" label={t.access.deniedBy} error={err('/deniedBy')}>
          {(c) => (
            <select {...c} value={deniedBy} onChange={(e) => setDeniedBy(e.target.value)}>
              <option value="">{t.access.unknown}</option>
              {partyList.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field id="ad-place" label={t.access.place} error={err('/place')}>
        {(c) => <input {...c} value={place} onChange={(e) => setPlace(e.target.value)} required />}
      </Field>
      <div className="field-row">
        <Field id="ad-lon" label={t.access.lon} error={err('/location/lon', '/location')}>
          {(c) => <input {...c} inputMode="decimal" value={lon} onChange={(e) => setLon(e.target.value)} required />}
        </Field>
        <Field id="ad-lat" label={t.access.lat} error={err('/location/lat')}>
          {(c) => <input {...c} inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} required />}
        </Field>
        <Field id="ad-duration" label={t.access.duration} error={err('/durationMinutes')}>
          {(c) => <input {...c} type="number" min={0} value={duration} onChange={(e) => setDuration(e.target.value)} />}
        </Field>
      </div>
      <Field id="ad-narrative" label={t.access.narrative} error={err('/narrative')}>
        {(c) => <textarea {...c} rows={3} value={narrative} onChange={(e) => setNarrative(e.target.value)} />}
      </Field>
      {recorded && (
        <p className="notice notice-info" role="status">
          {t.access.recorded}
        </p>
      )}
      {problem && !problem.pointer && (
        <p className="notice notice-error" role="alert">
          {`${t.access.failed} ${problem.detail}`}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={busy}>
        {t.access.submit}
      </button>
    </form>
  );
}
