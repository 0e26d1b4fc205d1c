import { CASE_STATUSES, DOMAINS, REPORT_TYPES } from '../../core/operations/model';
import { formatInstant } from '../format';
import { label, useT } from '../i18n';
import { partyName, useSession } from '../session';
import type { IncidentFilter } from './map/incidents';

/*
 * Filters (type, domain, status, party) and the time slider. A filter group with nothing chosen
 * means "any": choosing values narrows, it never hides everything by accident.
 */

export const TIME_WINDOWS = { '24h': 24 * 3600_000, '7d': 7 * 24 * 3600_000, '30d': 30 * 24 * 3600_000, all: Infinity } as const;
export type TimeWindow = keyof typeof TIME_WINDOWS;

export interface TimeState {
  readonly window: TimeWindow;
  /** The end of the window, ms; null follows the latest incident (new ones stay in view). */
  readonly until: number | null;
}

export interface Choices {
  readonly types: ReadonlySet<string>;
  readonly domains: ReadonlySet<string>;
  readonly statuses: ReadonlySet<string>;
  readonly parties: ReadonlySet<string>;
}

export const NO_CHOICES: Choices = { types: new Set(), domains: new Set(), statuses: new Set(), parties: new Set() };

export function filterOf(choices: Choices, time: TimeState, latest: number | null): IncidentFilter {
  const none = (s: ReadonlySet<string>) => (s.size === 0 ? null : s);
  const until = time.until ?? null;
  const end = until ?? latest;
  const span = TIME_WINDOWS[time.window];
  return {
    types: none(choices.types),
    domains: none(choices.domains),
    statuses: none(choices.statuses),
    parties: none(choices.parties),
    from: span === Infinity || end === null ? null : end - span,
    until,
  };
}

function toggle(set: ReadonlySet<string>, value: string): ReadonlySet<string> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

function ChipGroup({
  legend,
  values,
  chosen,
  name,
  onChange,
}: {
  readonly legend: string;
  readonly values: readonly string[];
  readonly chosen: ReadonlySet<string>;
  readonly name: (value: string) => string;
  readonly onChange: (next: ReadonlySet<string>) => void;
}) {
  return (
    <fieldset className="chip-group">
      <legend>{legend}</legend>
      {values.map((value) => (
        <button
          key={value}
          type="button"
          className="chip"
          aria-pressed={chosen.has(value)}
          data-value={value}
          onClick={() => onChange(toggle(chosen, value))}
        >
          {name(value)}
        </button>
      ))}
    </fieldset>
  );
}

export function Filters({
  choices,
  parties,
  onChange,
}: {
  readonly choices: Choices;
  readonly parties: readonly string[];
  readonly onChange: (next: Choices) => void;
}) {
  const t = useT();
  const session = useSession();
  const active = choices.types.size + choices.domains.size + choices.statuses.size + choices.parties.size;
  return (
    <details className="map-filters" open>
      <summary>
        {t.live.filters.title}
        {active > 0 && <span className="badge">{t.live.filters.active(active)}</span>}
      </summary>
      <ChipGroup
        legend={t.live.filters.type}
        values={REPORT_TYPES}
        chosen={choices.types}
        name={(v) => label(t.reportTypes, v)}
        onChange={(types) => onChange({ ...choices, types })}
      />
      <ChipGroup
        legend={t.live.filters.domain}
        values={DOMAINS}
        chosen={choices.domains}
        name={(v) => label(t.reportDomains, v)}
        onChange={(domains) => onChange({ ...choices, domains })}
      />
      <ChipGroup
        legend={t.live.filters.status}
        values={CASE_STATUSES}
        chosen={choices.statuses}
        name={(v) => label(t.live.statuses, v)}
        onChange={(statuses) => onChange({ ...choices, statuses })}
      />
      {parties.length > 0 && (
        <ChipGroup
          legend={t.live.filters.party}
          values={[...parties, '']}
          chosen={choices.parties}
          name={(v) => (v === '' ? t.live.filters.noParty : (partyName(session.parties, v) ?? v))}
          onChange={(next) => onChange({ ...choices, parties: next })}
        />
      )}
      {active > 0 && (
        <button type="button" className="button button-small button-quiet" onClick={() => onChange(NO_CHOICES)}>
          {t.live.filters.reset}
        </button>
      )}
    </details>
  );
}

const HOUR = 3600_000;

export function Timeline({
  range,
  time,
  onChange,
}: {
  readonly range: [number, number] | null;
  readonly time: TimeState;
  readonly onChange: (next: TimeState) => void;
}) {
  const t = useT();
  const locale = t.meta.locale;
  const min = range ? Math.floor(range[0] / HOUR) * HOUR : 0;
  const max = range ? Math.ceil(range[1] / HOUR) * HOUR : 0;
  const until = time.until ?? max;
  const span = TIME_WINDOWS[time.window];
  const from = span === Infinity ? min : Math.max(min, until - span);
  return (
    <div className="map-timeline">
      <div className="timeline-row">
        <label className="timeline-window">
          <span>{t.live.time.window}</span>
          <select value={time.window} onChange={(e) => onChange({ ...time, window: e.target.value as TimeWindow })}>
            {(Object.keys(TIME_WINDOWS) as TimeWindow[]).map((w) => (
              <option key={w} value={w}>
                {t.live.time.windows[w]}
              </option>
            ))}
          </select>
        </label>
        <label className="timeline-slider">
          <span>{t.live.time.until}</span>
          <input
            type="range"
            min={min}
            max={Math.max(max, min + HOUR)}
            step={HOUR}
            value={until}
            disabled={!range}
            aria-valuetext={range ? formatInstant(new Date(until).toISOString(), locale) : undefined}
            onChange={(e) => {
              const value = Number(e.target.value);
              onChange({ ...time, until: value >= max ? null : value });
            }}
          />
        </label>
        <label className="timeline-follow">
          <input
            type="checkbox"
            checked={time.until === null}
            onChange={(e) => onChange({ ...time, until: e.target.checked ? null : max })}
          />
          {t.live.time.latest}
        </label>
      </div>
      {range && (
        <p className="timeline-range" aria-live="polite">
          {t.live.time.range(formatInstant(new Date(from).toISOString(), locale), formatInstant(new Date(until).toISOString(), locale))}
        </p>
      )}
    </div>
  );
}
