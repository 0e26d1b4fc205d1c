import { useRef, useState, type FormEvent } from 'react';
import {
  newIdempotencyKey,
  problemAt,
  REPORT_DOMAINS,
  REPORT_SOURCES,
  REPORT_TYPES,
  type ApiProblem,
  type ReportDraft,
  type ReportFiled,
} from '../api';
import { localTimeZone, toDateTimeLocal } from '../format';
import { useT } from '../i18n';
import { useApi } from '../session';
import { Field } from '../shell/Field';

type FieldName = 'occurredAt' | 'lon' | 'lat' | 'domain' | 'type' | 'source' | 'narrative';

/** Where each form field sits in the request body, to place the server's errors (JSON pointers). */
const POINTERS: Record<FieldName, string> = {
  occurredAt: '/occurredAt',
  lon: '/location/lon',
  lat: '/location/lat',
  domain: '/domain',
  type: '/type',
  source: '/source',
  narrative: '/narrative',
};
const FIELD_ORDER: readonly FieldName[] = ['occurredAt', 'lon', 'lat', 'domain', 'type', 'source', 'narrative'];

interface Values {
  occurredAt: string;
  lon: string;
  lat: string;
  domain: ReportDraft['domain'];
  type: ReportDraft['type'];
  source: ReportDraft['source'];
  narrative: string;
}

const blank = (): Values => ({
  occurredAt: toDateTimeLocal(new Date()),
  lon: '',
  lat: '',
  domain: 'land',
  type: 'shelling-impact',
  source: 'patrol-saw',
  narrative: '',
});

export function ReportForm({ onFiled }: { readonly onFiled: (filed: ReportFiled) => void }) {
  const t = useT();
  const api = useApi();
  const [values, setValues] = useState<Values>(blank);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [filed, setFiled] = useState<ReportFiled | null>(null);
  // One key per report: resubmitting after a lost answer returns the first filing instead of a duplicate.
  const idempotencyKey = useRef(newIdempotencyKey());
  const formRef = useRef<HTMLFormElement>(null);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    idempotencyKey.current = newIdempotencyKey();
  };

  const focusField = (field: FieldName) => formRef.current?.querySelector<HTMLElement>(`#report-${field}`)?.focus();

  const validate = (): { draft: ReportDraft } | { errors: Partial<Record<FieldName, string>> } => {
    const found: Partial<Record<FieldName, string>> = {};
    const when = new Date(values.occurredAt);
    if (values.occurredAt === '' || Number.isNaN(when.getTime())) found.occurredAt = t.operations.invalidTime;
    const coordinate = (field: 'lon' | 'lat', limit: number): number => {
      const text = values[field].trim().replace(',', '.');
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) found[field] = text === '' ? t.operations.required : t.operations.invalidNumber;
      else if (Math.abs(n) > limit) found[field] = t.operations.outOfRange(-limit, limit);
      return n;
    };
    const lon = coordinate('lon', 180);
    const lat = coordinate('lat', 90);
    if (values.narrative.trim() === '') found.narrative = t.operations.required;
    if (Object.keys(found).length > 0) return { errors: found };
    return {
      draft: {
        occurredAt: when.toISOString(),
        location: { lon, lat },
        domain: values.domain,
        type: values.type,
        source: values.source,
        narrative: values.narrative.trim(),
      },
    };
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submitting) return;
    setFiled(null);
    setProblem(null);
    const checked = validate();
    if ('errors' in checked) {
      setErrors(checked.errors);
      const first = FIELD_ORDER.find((f) => checked.errors[f]);
      if (first) focusField(first);
      return;
    }
    setErrors({});
    setSubmitting(true);
    const result = await api.fileReport(checked.draft, idempotencyKey.current);
    setSubmitting(false);
    if (!result.ok) {
      const field = FIELD_ORDER.find((f) => problemAt(result.problem, POINTERS[f]));
      if (field) {
        setErrors({ [field]: result.problem.detail });
        focusField(field);
      } else {
        setProblem(result.problem);
      }
      return;
    }
    setFiled(result.value);
    onFiled(result.value);
    idempotencyKey.current = newIdempotencyKey();
    setValues((v) => ({ ...blank(), domain: v.domain, source: v.source, lon: v.lon, lat: v.lat }));
  };

  const control = (field: FieldName) => ({ id: `report-${field}`, error: errors[field] ?? null });

  return (
    <form ref={formRef} className="form report-form" noValidate onSubmit={(e) => void onSubmit(e)}>
      <Field {...control('occurredAt')} label={t.operations.occurredAt} hint={t.operations.occurredAtHint(localTimeZone())}>
        {(p) => (
          <input {...p} type="datetime-local" required value={values.occurredAt} onChange={(e) => set('occurredAt', e.target.value)} />
        )}
      </Field>
      <fieldset className="coordinates">
        <legend>{t.operations.location}</legend>
        <p className="field-hint">{t.operations.coordinatesHint}</p>
        <div className="field-row">
          <Field {...control('lon')} label={t.operations.longitude}>
            {(p) => (
              <input
                {...p}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                required
                value={values.lon}
                onChange={(e) => set('lon', e.target.value)}
              />
            )}
          </Field>
          <Field {...control('lat')} label={t.operations.latitude}>
            {(p) => (
              <input
                {...p}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                required
                value={values.lat}
                onChange={(e) => set('lat', e.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <div className="field-row">
        <Field {...control('domain')} label={t.operations.domain}>
          {(p) => (
            <select {...p} value={values.domain} onChange={(e) => set('domain', e.target.value as Values['domain'])}>
              {REPORT_DOMAINS.map((d) => (
                <option key={d} value={d}>
                  {t.reportDomains[d]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field {...control('source')} label={t.operations.sourceLabel}>
          {(p) => (
            <select {...p} value={values.source} onChange={(e) => set('source', e.target.value as Values['source'])}>
              {REPORT_SOURCES.map((s) => (
                <option key={s} value={s}>
                  {t.reportSources[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field {...control('type')} label={t.operations.type}>
        {(p) => (
          <select {...p} value={values.type} onChange={(e) => set('type', e.target.value as Values['type'])}>
            {REPORT_TYPES.map((type) => (
              <option key={type} value={type}>
                {t.reportTypes[type]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field {...control('narrative')} label={t.operations.narrative} hint={t.operations.narrativeHint}>
        {(p) => <textarea {...p} rows={4} required value={values.narrative} onChange={(e) => set('narrative', e.target.value)} />}
      </Field>

      {problem && (
        <div className="notice notice-error" role="alert">
          {t.operations.failed} {problem.code === 'network' ? t.errors.network : problem.detail}
        </div>
      )}
      <p className="form-status" role="status">
        {filed && t.operations.filed(filed.position)}
      </p>
      <button type="submit" className="button button-primary" disabled={submitting} aria-busy={submitting || undefined}>
        {submitting ? t.operations.submitting : t.operations.submit}
      </button>
    </form>
  );
}
