import { useEffect, useRef, useState, type FormEvent } from 'react';
import { TIME_PRECISIONS, WEAPON_CLASSES } from '../../core/operations/model';
import {
  newIdempotencyKey,
  problemAt,
  REPORT_DOMAINS,
  REPORT_SOURCES,
  REPORT_TYPES,
  type ApiProblem,
  type ReportDomain,
  type ReportSource,
  type ReportType,
} from '../api';
import { localTimeZone, toDateTimeLocal } from '../format';
import { label, useT } from '../i18n';
import { Field } from '../shell/Field';
import type { ReportFiled, ReportSubmission } from './api';
import type { LonLat } from './map/IncidentMap';
import { outboxService } from './outbox-service';

/*
 * Filing a report, in the field: every field of the intake that matters there, the place picked on
 * the map or typed, and no connection needed. The report goes into the outbox first, with the
 * idempotency key it gets when written, and is sent from there (now, or when the network returns).
 */

type CasualtyCategory = 'civilian' | 'military' | 'unknown';
type CasualtyOutcome = 'killed' | 'injured';
type TimePrecision = (typeof TIME_PRECISIONS)[number];

interface CasualtyValues {
  readonly category: CasualtyCategory;
  readonly outcome: CasualtyOutcome;
  readonly count: string;
}

interface Values {
  occurredAt: string;
  occurredPrecision: TimePrecision;
  lon: string;
  lat: string;
  precision_m: number;
  domain: ReportDomain;
  type: ReportType;
  weaponClass: string;
  source: ReportSource;
  casualties: CasualtyValues[];
  narrative: string;
}

type FieldName =
  | 'occurredAt'
  | 'occurredPrecision'
  | 'lon'
  | 'lat'
  | 'precision_m'
  | 'domain'
  | 'type'
  | 'weaponClass'
  | 'source'
  | 'narrative'
  | `casualty-${number}`;

/** Where each form field sits in the request body, to place the server's errors (JSON pointers). */
const POINTERS: [FieldName, string][] = [
  ['occurredAt', '/occurredAt'],
  ['occurredPrecision', '/occurredPrecision'],
  ['lon', '/location/lon'],
  ['lat', '/location/lat'],
  ['precision_m', '/location/precision_m'],
  ['lon', '/location'],
  ['domain', '/domain'],
  ['type', '/type'],
  ['weaponClass', '/weaponClass'],
  ['source', '/source'],
  ['narrative', '/narrative'],
];
const FIELD_ORDER: readonly FieldName[] = ['occurredAt', 'lon', 'lat', 'domain', 'type', 'source', 'narrative'];
const LOCATION_PRECISIONS = [10, 50, 100, 500, 1000, 5000] as const;
const FORM_PRECISIONS: readonly TimePrecision[] = TIME_PRECISIONS.filter((p) => p !== 'week' && p !== 'month');

const blank = (): Values => ({
  occurredAt: toDateTimeLocal(new Date()),
  occurredPrecision: 'minute',
  lon: '',
  lat: '',
  precision_m: 100,
  domain: 'land',
  type: 'shelling-impact',
  weaponClass: '',
  source: 'patrol-saw',
  casualties: [],
  narrative: '',
});

export interface ReportFormProps {
  readonly onFiled?: (filed: ReportFiled) => void;
  /** The place picked on the map, which fills the coordinates. */
  readonly picked: LonLat | null;
  /** Typed coordinates move the marker on the map. */
  readonly onPlace: (place: LonLat | null) => void;
  readonly picking: boolean;
  readonly onPickingChange: (picking: boolean) => void;
}

export function ReportForm({ onFiled, picked, onPlace, picking, onPickingChange }: ReportFormProps) {
  const t = useT();
  const [values, setValues] = useState<Values>(blank);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [outcome, setOutcome] = useState<{ kind: 'filed'; filed: ReportFiled } | { kind: 'queued' } | null>(null);
  // One key per report, fixed when it is written: a resend returns the first filing instead of a duplicate.
  const idempotencyKey = useRef(newIdempotencyKey());
  const formRef = useRef<HTMLFormElement>(null);

  // A place picked on the map fills the coordinates.
  useEffect(() => {
    if (!picked) return;
    setValues((v) =>
      v.lon === String(picked.lon) && v.lat === String(picked.lat) ? v : { ...v, lon: String(picked.lon), lat: String(picked.lat) },
    );
    setErrors((e) => ({ ...e, lon: undefined, lat: undefined }));
    idempotencyKey.current = newIdempotencyKey();
  }, [picked]);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => {
      const next = { ...v, [key]: value };
      if (key === 'lon' || key === 'lat') {
        const lon = Number(next.lon.replace(',', '.'));
        const lat = Number(next.lat.replace(',', '.'));
        const valid = next.lon.trim() !== '' && next.lat.trim() !== '' && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;
        onPlace(valid ? { lon, lat } : null);
      }
      return next;
    });
    idempotencyKey.current = newIdempotencyKey();
  };

  const focusField = (field: FieldName) => formRef.current?.querySelector<HTMLElement>(`#report-${field}`)?.focus();

  const validate = (): { report: ReportSubmission } | { errors: Partial<Record<FieldName, string>> } => {
    const found: Partial<Record<FieldName, string>> = {};
    const when = new Date(values.occurredAt);
    if (values.occurredAt === '' || Number.isNaN(when.getTime())) found.occurredAt = t.operations.invalidTime;
    const coordinate = (field: 'lon' | 'lat', limit: number): number => {
      const text = values[field].trim().replace(',', '.');
      const x = Number(text);
      if (text === '' || !Number.isFinite(x)) found[field] = text === '' ? t.operations.required : t.operations.invalidNumber;
      else if (Math.abs(x) > limit) found[field] = t.operations.outOfRange(-limit, limit);
      return x;
    };
    const lon = coordinate('lon', 180);
    const lat = coordinate('lat', 90);
    const casualties = values.casualties.map((c, i) => {
      const count = Number(c.count);
      if (!Number.isInteger(count) || count < 1) found[`casualty-${i}`] = t.operations.outOfRange(1, 100_000);
      return { category: c.category, outcome: c.outcome, count };
    });
    if (values.narrative.trim() === '') found.narrative = t.operations.required;
    if (Object.keys(found).length > 0) return { errors: found };
    return {
      report: {
        occurredAt: when.toISOString(),
        occurredPrecision: values.occurredPrecision,
        location: { type: 'point', lon, lat, precision_m: values.precision_m },
        domain: values.domain,
        type: values.type,
        ...(values.weaponClass ? { weaponClass: values.weaponClass as ReportSubmission['weaponClass'] } : {}),
        casualties,
        source: values.source,
        narrative: values.narrative.trim(),
      },
    };
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submitting) return;
    setOutcome(null);
    setProblem(null);
    const checked = validate();
    if ('errors' in checked) {
      setErrors(checked.errors);
      const first = FIELD_ORDER.find((f) => checked.errors[f]) ?? (Object.keys(checked.errors)[0] as FieldName | undefined);
      if (first) focusField(first);
      return;
    }
    setErrors({});
    setSubmitting(true);
    let result;
    try {
      result = await outboxService.submit(checked.report, idempotencyKey.current);
    } catch (error) {
      // The browser refused to store it (storage full or disabled): say so, keep the form as it is.
      setSubmitting(false);
      setProblem({
        status: 0,
        code: 'storage',
        title: 'Not stored',
        detail: error instanceof Error ? error.message : String(error),
        type: 'about:blank',
      });
      return;
    }
    setSubmitting(false);
    if (result.status === 'refused') {
      const field = POINTERS.find(([, pointer]) => problemAt(result.problem, pointer))?.[0] ?? casualtyField(result.problem.pointer);
      if (field) {
        setErrors({ [field]: result.problem.detail });
        focusField(field);
      } else {
        setProblem(result.problem);
      }
      return;
    }
    setOutcome(result.status === 'filed' ? { kind: 'filed', filed: result.filed } : { kind: 'queued' });
    if (result.status === 'filed') onFiled?.(result.filed);
    idempotencyKey.current = newIdempotencyKey();
    // Keep what a patrol usually repeats (domain, source, place); clear what belongs to this report.
    setValues((v) => ({ ...blank(), domain: v.domain, source: v.source, lon: v.lon, lat: v.lat, precision_m: v.precision_m }));
  };

  const control = (field: FieldName) => ({ id: `report-${field}`, error: errors[field] ?? null });
  const warnings = outcome?.kind === 'filed' ? (outcome.filed.warnings ?? []) : [];

  return (
    <form ref={formRef} className="form report-form" noValidate onSubmit={(e) => void onSubmit(e)}>
      <Field {...control('occurredAt')} label={t.operations.occurredAt} hint={t.operations.occurredAtHint(localTimeZone())}>
        {(p) => (
          <input {...p} type="datetime-local" required value={values.occurredAt} onChange={(e) => set('occurredAt', e.target.value)} />
        )}
      </Field>
      <Field {...control('occurredPrecision')} label={t.live.form.timePrecision}>
        {(p) => (
          <select {...p} value={values.occurredPrecision} onChange={(e) => set('occurredPrecision', e.target.value as TimePrecision)}>
            {FORM_PRECISIONS.map((x) => (
              <option key={x} value={x}>
                {t.live.form.timePrecisions[x]}
              </option>
            ))}
          </select>
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
        <div className="field-row pick-row">
          <button
            type="button"
            className={`button button-small${picking ? ' button-primary' : ''}`}
            aria-pressed={picking}
            onClick={() => onPickingChange(!picking)}
          >
            {picking ? t.live.form.stopPicking : t.live.form.pick}
          </button>
          <Field {...control('precision_m')} label={t.live.form.precision}>
            {(p) => (
              <select {...p} value={values.precision_m} onChange={(e) => set('precision_m', Number(e.target.value))}>
                {LOCATION_PRECISIONS.map((x) => (
                  <option key={x} value={x}>
                    {t.live.form.precisionValue(x)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {picking && (
          <p className="pick-hint" role="status">
            {t.live.form.picking}
          </p>
        )}
      </fieldset>
      <div className="field-row">
        <Field {...control('domain')} label={t.operations.domain}>
          {(p) => (
            <select {...p} value={values.domain} onChange={(e) => set('domain', e.target.value as ReportDomain)}>
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
            <select {...p} value={values.source} onChange={(e) => set('source', e.target.value as ReportSource)}>
              {REPORT_SOURCES.map((s) => (
                <option key={s} value={s}>
                  {t.reportSources[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="field-row">
        <Field {...control('type')} label={t.operations.type}>
          {(p) => (
            <select {...p} value={values.type} onChange={(e) => set('type', e.target.value as ReportType)}>
              {REPORT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t.reportTypes[type]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field {...control('weaponClass')} label={t.live.form.weaponClass}>
          {(p) => (
            <select {...p} value={values.weaponClass} onChange={(e) => set('weaponClass', e.target.value)}>
              <option value="">{t.live.form.weaponUnknown}</option>
              {WEAPON_CLASSES.map((w) => (
                <option key={w} value={w}>
                  {label(t.live.weaponClasses, w)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset className="casualties">
        <legend>{t.live.form.casualties}</legend>
        <p className="field-hint">{t.live.form.casualtiesHint}</p>
        {values.casualties.map((c, i) => (
          <div className="field-row casualty-row" key={i}>
            <Field id={`report-casualty-${i}-category`} label={t.live.form.category}>
              {(p) => (
                <select
                  {...p}
                  value={c.category}
                  onChange={(e) =>
                    set(
                      'casualties',
                      values.casualties.map((x, j) => (j === i ? { ...x, category: e.target.value as CasualtyCategory } : x)),
                    )
                  }
                >
                  {(['civilian', 'military', 'unknown'] as const).map((x) => (
                    <option key={x} value={x}>
                      {t.live.form.categories[x]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id={`report-casualty-${i}-outcome`} label={t.live.form.outcome}>
              {(p) => (
                <select
                  {...p}
                  value={c.outcome}
                  onChange={(e) =>
                    set(
                      'casualties',
                      values.casualties.map((x, j) => (j === i ? { ...x, outcome: e.target.value as CasualtyOutcome } : x)),
                    )
                  }
                >
                  {(['killed', 'injured'] as const).map((x) => (
                    <option key={x} value={x}>
                      {t.live.form.outcomes[x]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field {...control(`casualty-${i}`)} label={t.live.form.count}>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={1}
                  inputMode="numeric"
                  value={c.count}
                  onChange={(e) =>
                    set(
                      'casualties',
                      values.casualties.map((x, j) => (j === i ? { ...x, count: e.target.value } : x)),
                    )
                  }
                />
              )}
            </Field>
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() =>
                set(
                  'casualties',
                  values.casualties.filter((_, j) => j !== i),
                )
              }
            >
              {t.live.form.removeCasualty}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button button-small"
          onClick={() => set('casualties', [...values.casualties, { category: 'civilian', outcome: 'injured', count: '1' }])}
        >
          {t.live.form.addCasualty}
        </button>
      </fieldset>
      <Field {...control('narrative')} label={t.operations.narrative} hint={t.operations.narrativeHint}>
        {(p) => <textarea {...p} rows={4} required value={values.narrative} onChange={(e) => set('narrative', e.target.value)} />}
      </Field>

      {problem && (
        <div className="notice notice-error" role="alert">
          {t.operations.failed} {problem.code === 'network' ? t.errors.network : problem.detail}
        </div>
      )}
      <p className="form-status" role="status">
        {outcome?.kind === 'filed' && t.operations.filed(outcome.filed.position)}
        {outcome?.kind === 'queued' && t.live.form.queued}
      </p>
      {warnings.length > 0 && (
        <div className="notice notice-warn" role="note">
          {t.live.form.warnings}
          <ul>
            {warnings.map((w) => (
              <li key={w.code}>{w.message}</li>
            ))}
          </ul>
        </div>
      )}
      <button type="submit" className="button button-primary" disabled={submitting} aria-busy={submitting || undefined}>
        {submitting ? t.operations.submitting : t.operations.submit}
      </button>
    </form>
  );
}

function casualtyField(pointer: string | undefined): FieldName | undefined {
  const match = pointer ? /^\/casualties\/(\d+)/.exec(pointer) : null;
  return match ? `casualty-${Number(match[1])}` : undefined;
}
