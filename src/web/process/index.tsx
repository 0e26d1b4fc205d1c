import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type RefObject } from 'react';
import { newIdempotencyKey, type ApiProblem } from '../api';
import { localTimeZone } from '../format';
import { useLanguage, useT } from '../i18n';
import { useJournalEvents, useLiveEpoch } from '../live';
import { useApi, useUser } from '../session';
import { Field } from '../shell/Field';
import { PageHeader } from '../shell/PageHeader';
import { TRACKS } from '../../core/process/model';
import {
  changeStatus,
  createFeed,
  getMeeting,
  getSequence,
  getSlip,
  getSlots,
  icsUrl,
  isProcessEvent,
  planMeeting,
  reviseMeeting,
  type Meeting,
  type MeetingDetail,
  type MeetingDraft,
  type ParticipantDraft,
  type Sequence,
  type SlipResult,
  type Slots,
} from './api';
import { useProcessT, type ProcessMessages } from './messages';
import { OverrideForm, RecordsPanel } from './records';
import { monthGrid, timelineGeometry } from './timeline';
import './process.css';

const ZONES = [
  'Europe/Kyiv',
  'America/New_York',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Istanbul',
  'Europe/Brussels',
  'Europe/Moscow',
  'UTC',
];

/** The sequence, kept current: reloaded when a meeting, attestation or framework event reaches this reader. */
function useSequence(): { data: Sequence | null; problem: ApiProblem | null; reload: () => void } {
  const api = useApi();
  const epoch = useLiveEpoch();
  const [data, setData] = useState<Sequence | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const ticket = useRef(0);
  const reload = useCallback(() => {
    const mine = ++ticket.current;
    void getSequence(api).then((r) => {
      if (mine !== ticket.current) return;
      if (r.ok) setData(r.value);
      setProblem(r.ok ? null : r.problem);
    });
  }, [api]);
  useEffect(() => reload(), [reload, epoch]);
  useJournalEvents((event) => {
    if (isProcessEvent(event.type)) reload();
  });
  return { data, problem, reload };
}

function useFormats(zone: string) {
  const { language } = useLanguage();
  const locale = language === 'uk' ? 'uk-UA' : 'en-GB';
  return useMemo(() => {
    const day = (z: string) =>
      new Intl.DateTimeFormat(locale, { timeZone: z, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
    const time = (z: string) => new Intl.DateTimeFormat(locale, { timeZone: z, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const range = (start: string, end: string, z: string) => {
      const s = new Date(start);
      const e = new Date(end);
      const sameDay = day(z).format(s) === day(z).format(e);
      return sameDay
        ? `${day(z).format(s)}, ${time(z).format(s)}–${time(z).format(e)}`
        : `${day(z).format(s)} ${time(z).format(s)} – ${day(z).format(e)} ${time(z).format(e)}`;
    };
    return {
      locale,
      range,
      mine: (start: string, end: string) => range(start, end, zone),
      date: (iso: string) => day(zone).format(new Date(iso)),
    };
  }, [locale, zone]);
}

/**
 * Process sequencing: the timeline of tracks (meetings as bars, prerequisites as arrows, the critical
 * path heavy, today as a line), or a month calendar; a meeting's panel with its times in the viewer's
 * zone and the venue's, each participant's local time, what blocks it now and what moves if it slips.
 * The mediator plans meetings here; everyone can take their own calendar feed.
 */
export default function ProcessPage() {
  const t = useT();
  const p = useProcessT();
  const user = useUser();
  const isMediator = user.roles.includes('mediator');
  const { data, problem, reload } = useSequence();
  const [view, setView] = useState<'timeline' | 'calendar'>('timeline');
  const [selected, setSelected] = useState<string | null>(null);
  const [planning, setPlanning] = useState(false);
  const [editing, setEditing] = useState<MeetingDetail | null>(null);
  const zone = localTimeZone();

  return (
    <article className="page page-wide pr-page">
      <PageHeader title={t.nav.process} lead={p.lead}>
        <div className="pr-toolbar">
          <div className="pr-views" role="tablist" aria-label={p.timeline.title}>
            {(['timeline', 'calendar'] as const).map((v) => (
              <button
                key={v}
                type="button"
                role="tab"
                aria-selected={view === v}
                className={view === v ? 'active' : ''}
                onClick={() => setView(v)}
              >
                {p.views[v]}
              </button>
            ))}
          </div>
          <span className="pr-zone">{p.yourZone(zone)}</span>
          <FeedButton />
          {isMediator && (
            <button type="button" className="button primary" onClick={() => setPlanning(true)}>
              {p.plan.open}
            </button>
          )}
        </div>
      </PageHeader>
      {problem && (
        <p className="pr-problem" role="alert">
          {p.failed} {problem.detail}
        </p>
      )}
      {planning && (
        <PlanForm
          onClose={() => setPlanning(false)}
          onPlanned={(id) => {
            setPlanning(false);
            setSelected(id);
            reload();
          }}
        />
      )}
      {editing && (
        <PlanForm
          key={editing.id}
          existing={editing}
          onClose={() => setEditing(null)}
          onPlanned={(id) => {
            setEditing(null);
            setSelected(id);
            reload();
          }}
        />
      )}
      {!data ? (
        <p className="muted">{p.loading}</p>
      ) : (
        <>
          {view === 'timeline' ? (
            <Timeline data={data} selected={selected} onSelect={setSelected} zone={zone} />
          ) : (
            <Calendar data={data} zone={zone} onSelect={setSelected} />
          )}
          <div className="pr-columns">
            <CriticalPath data={data} zone={zone} onSelect={setSelected} />
            {selected && data.meetings.some((m) => m.id === selected) && (
              <MeetingPanel
                key={selected}
                id={selected}
                summary={data.meetings.find((m) => m.id === selected)!}
                zone={zone}
                onClose={() => setSelected(null)}
                canPlan={isMediator}
                onEdit={(detail) => {
                  setPlanning(false);
                  setEditing(detail);
                  window.scrollTo({ top: 0, behavior: 'smooth' });
                }}
              />
            )}
          </div>
        </>
      )}
    </article>
  );
}

// ---------------------------------------------------------------------------------------------------
// Timeline

function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(1100);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(720, Math.floor(el.clientWidth)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

function Timeline({
  data,
  selected,
  onSelect,
  zone,
}: {
  data: Sequence;
  selected: string | null;
  onSelect: (id: string) => void;
  zone: string;
}) {
  const p = useProcessT();
  const f = useFormats(zone);
  const [ref, width] = useWidth();
  const g = useMemo(
    () => timelineGeometry(data.meetings, data.edges, data.criticalPath, data.now, zone, width, f.locale),
    [data, zone, width, f.locale],
  );
  return (
    <section className="pr-section" aria-labelledby="pr-timeline-title">
      <div className="pr-section-head">
        <h2 id="pr-timeline-title">{p.timeline.title}</h2>
        <Legend />
      </div>
      <p className="muted">{p.timeline.caption}</p>
      {data.meetings.length === 0 && <p>{p.timeline.empty}</p>}
      <div ref={ref} className="pr-timeline-wrap">
        <svg
          data-testid="timeline"
          width={g.width}
          height={g.height}
          viewBox={`0 0 ${g.width} ${g.height}`}
          role="img"
          aria-label={p.timeline.title}
        >
          <defs>
            <marker id="pr-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L8,4 L0,8 z" fill="#6a7480" />
            </marker>
            <marker id="pr-arrow-critical" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L8,4 L0,8 z" fill="#ab2317" />
            </marker>
            <pattern id="pr-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" fill="#fbf0d9" />
              <line x1="0" y1="0" x2="0" y2="6" stroke="#8f5b00" strokeWidth="2" />
            </pattern>
          </defs>
          {g.tracks.map((tr, i) => (
            <g key={tr.track}>
              <rect x={0} y={tr.y} width={g.width} height={g.rowHeight} className={i % 2 ? 'pr-row odd' : 'pr-row'} />
              <text x={10} y={tr.y + g.rowHeight / 2 + 4} className="pr-track-label">
                {p.tracks[tr.track] ?? tr.track}
              </text>
            </g>
          ))}
          {g.ticks.map((tick) => (
            <g key={tick.x}>
              <line x1={tick.x} x2={tick.x} y1={g.top - 6} y2={g.height} className={tick.major ? 'pr-tick major' : 'pr-tick'} />
              <text x={tick.x + 3} y={g.top - 12} className="pr-tick-label">
                {tick.label}
              </text>
            </g>
          ))}
          {g.arrows.map((a) => (
            <path
              key={`${a.from}>${a.to}`}
              d={a.d}
              className={a.critical ? 'pr-edge critical' : 'pr-edge'}
              markerEnd={a.critical ? 'url(#pr-arrow-critical)' : 'url(#pr-arrow)'}
              data-edge={`${a.from}>${a.to}`}
            />
          ))}
          {g.bars.map((b) => {
            const m = b.meeting;
            return (
              <g
                key={m.id}
                data-meeting={m.id}
                role="button"
                tabIndex={0}
                aria-label={p.timeline.open(m.title)}
                className={`pr-bar status-${m.status}${m.critical ? ' critical' : ''}${selected === m.id ? ' selected' : ''}`}
                onClick={() => onSelect(m.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onSelect(m.id);
                  }
                }}
              >
                <title>{`${m.title} — ${f.mine(m.start, m.end)} — ${p.statuses[m.status] ?? m.status}`}</title>
                <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={4} fill={m.blocked ? 'url(#pr-hatch)' : undefined} />
                {m.hardDate && <path d={`M${b.x},${b.y - 2} l5,-6 l5,6 z`} className="pr-hard" transform={`translate(-5,0)`} />}
                <text x={b.labelX} y={b.labelY} textAnchor={b.labelAnchor} className="pr-bar-label">
                  {m.title.length > 38 ? `${m.title.slice(0, 36)}…` : m.title}
                </text>
              </g>
            );
          })}
          {g.today !== null && (
            <g className="pr-today">
              <line x1={g.today} x2={g.today} y1={g.top - 8} y2={g.height} />
              <text x={g.today + 4} y={g.height - 6}>
                {p.timeline.today}
              </text>
            </g>
          )}
        </svg>
      </div>
      {g.todaySide !== 'inside' && (
        <p className="pr-today-note">
          {g.todaySide === 'after' ? p.timeline.todayAfter(f.date(data.now)) : p.timeline.todayBefore(f.date(data.now))}
        </p>
      )}
    </section>
  );
}

function Legend() {
  const p = useProcessT();
  return (
    <ul className="pr-legend">
      {(['planned', 'confirmed', 'held', 'postponed', 'cancelled'] as const).map((s) => (
        <li key={s}>
          <span className={`pr-swatch status-${s}`} />
          {p.statuses[s]}
        </li>
      ))}
      <li>
        <span className="pr-swatch blocked" />
        {p.timeline.blocked}
      </li>
      <li>
        <span className="pr-swatch critical" />
        {p.timeline.critical}
      </li>
      <li>
        <span className="pr-swatch hard" />
        {p.timeline.hardDate}
      </li>
    </ul>
  );
}

// ---------------------------------------------------------------------------------------------------
// Calendar

function Calendar({ data, zone, onSelect }: { data: Sequence; zone: string; onSelect: (id: string) => void }) {
  const p = useProcessT();
  const f = useFormats(zone);
  const first = data.meetings.length ? data.meetings.map((m) => m.start).sort()[0]! : data.now;
  const [month, setMonth] = useState(() => ({ year: Number(first.slice(0, 4)), month: Number(first.slice(5, 7)) }));
  const cells = monthGrid(month.year, month.month, data.meetings, zone);
  const title = new Intl.DateTimeFormat(f.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(month.year, month.month - 1, 15),
  );
  const step = (d: number) =>
    setMonth((m) => ({ year: m.year + Math.floor((m.month - 1 + d) / 12), month: ((m.month - 1 + d + 12) % 12) + 1 }));
  const time = new Intl.DateTimeFormat(f.locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (
    <section className="pr-section" data-testid="calendar">
      <div className="pr-section-head">
        <h2>{title}</h2>
        <div className="pr-month-nav">
          <button type="button" className="button" onClick={() => step(-1)} aria-label={p.calendar.previous}>
            ‹
          </button>
          <button type="button" className="button" onClick={() => step(1)} aria-label={p.calendar.next}>
            ›
          </button>
        </div>
      </div>
      <div className="pr-month">
        {p.calendar.weekdays.map((d) => (
          <div key={d} className="pr-weekday">
            {d}
          </div>
        ))}
        {cells.map((c) => (
          <div key={c.date} className={c.inMonth ? 'pr-day' : 'pr-day out'}>
            <span className="pr-day-number">{Number(c.date.slice(8))}</span>
            {c.meetings.map((m) => (
              <button
                key={m.id}
                type="button"
                className={`pr-chip track-${m.track} status-${m.status}`}
                onClick={() => onSelect(m.id)}
                title={m.title}
              >
                <span className="pr-chip-time">{time.format(new Date(m.start))}</span> {m.title}
              </button>
            ))}
          </div>
        ))}
      </div>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------
// Critical path

function CriticalPath({ data, zone, onSelect }: { data: Sequence; zone: string; onSelect: (id: string) => void }) {
  const p = useProcessT();
  const f = useFormats(zone);
  const byId = new Map(data.meetings.map((m) => [m.id, m]));
  return (
    <section className="pr-section pr-path" data-testid="critical-path">
      <h2>{p.path.title}</h2>
      <p className="muted">{p.path.lead}</p>
      <ol>
        {data.criticalPath.map((id) => {
          const m = byId.get(id)!;
          return (
            <li key={id}>
              <button type="button" className="link" onClick={() => onSelect(id)}>
                {m.title}
              </button>
              <span className={`pr-status status-${m.status}`}>{p.statuses[m.status] ?? m.status}</span>
              <div className="muted small">{f.mine(m.start, m.end)}</div>
            </li>
          );
        })}
      </ol>
      {data.end && <p className="small">{p.path.ends(f.date(data.end))}</p>}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------
// A meeting

function MeetingPanel({
  id,
  summary,
  zone,
  onClose,
  canPlan,
  onEdit,
}: {
  id: string;
  summary: Meeting;
  zone: string;
  onClose: () => void;
  canPlan: boolean;
  onEdit: (detail: MeetingDetail) => void;
}) {
  const p = useProcessT();
  const api = useApi();
  const user = useUser();
  const f = useFormats(zone);
  const [detail, setDetail] = useState<MeetingDetail | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  // a refused action is shown beside the buttons, where the mediator is looking
  const [refusal, setRefusal] = useState<ApiProblem | null>(null);
  const [overriding, setOverriding] = useState(false);
  // raised after this panel records something, so the answer is read again without waiting for the live stream
  const [saves, setSaves] = useState(0);
  const saved = useCallback(() => setSaves((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    void getMeeting(api, id).then((r) => {
      if (!live) return;
      if (r.ok) setDetail(r.value);
      else setProblem(r.problem);
    });
    return () => {
      live = false;
    };
  }, [api, id, summary, saves]);
  const m = detail ?? summary;
  const blockers = m.prerequisites.filter((c) => !c.met);
  const act = async (status: string) => {
    setOverriding(false);
    const r = await changeStatus(api, id, status, newIdempotencyKey());
    setRefusal(r.ok ? null : r.problem);
    // Held with prerequisites unmet is refused; the mediator may still record it, saying why.
    if (!r.ok && status === 'held' && r.problem.code === 'refused') setOverriding(true);
    if (r.ok) saved();
  };
  const held = m.status === 'held' || m.status === 'closed';
  const overrides = detail ? detail.history.filter((h) => h.overridden.length > 0) : [];
  return (
    <section className="pr-section pr-meeting" data-testid="meeting-panel" aria-labelledby="pr-meeting-title">
      <div className="pr-section-head">
        <h2 id="pr-meeting-title">{m.title}</h2>
        <button type="button" className="button" onClick={onClose}>
          {p.detail.close}
        </button>
      </div>
      <p>
        <span className={`pr-status status-${m.status}`}>{p.statuses[m.status] ?? m.status}</span>{' '}
        <span className="pr-tag">{p.tracks[m.track] ?? m.track}</span> <span className="pr-tag">{p.formats[m.format] ?? m.format}</span>{' '}
        {m.critical && <span className="pr-tag critical">{p.timeline.critical}</span>}{' '}
        {m.hardDate && <span className="pr-tag">{p.timeline.hardDate}</span>}{' '}
        <span className="muted small">{p.detail.sequence(m.sequence)}</span>
      </p>
      <dl className="pr-times">
        <dt>
          {p.detail.yourTime} ({zone})
        </dt>
        <dd data-testid="time-viewer">{f.mine(m.start, m.end)}</dd>
        <dt>
          {m.venue.name} — {p.detail.venueTime(m.venue.zone, m.local.offset)}
        </dt>
        <dd data-testid="time-venue">{f.range(m.start, m.end, m.venue.zone)}</dd>
      </dl>
      {problem && (
        <p className="pr-problem" role="alert">
          {problem.detail}
        </p>
      )}
      {overrides.map((h) => (
        <div key={h.at + h.reason} className="pr-overridden" data-testid="overridden">
          <strong>{p.records.overridden(h.reason)}</strong>
          <ul>
            {h.overridden.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
          <span className="muted small">
            {h.actor} · {f.date(h.at)}
          </span>
        </div>
      ))}
      <h3>{p.detail.blocks}</h3>
      {blockers.length === 0 ? (
        <p className="pr-ok">{p.detail.nothingBlocks}</p>
      ) : (
        <ul className="pr-blockers" data-testid="blockers">
          {blockers.map((c) => (
            <li key={c.id}>{c.detail}</li>
          ))}
        </ul>
      )}
      <p className="small">{m.critical ? p.detail.onPath : m.floatDays !== null ? p.detail.float(m.floatDays) : ''}</p>
      <h3>{p.detail.prerequisites}</h3>
      {m.prerequisites.length === 0 ? (
        <p className="muted">{p.detail.noPrerequisites}</p>
      ) : (
        <ul className="pr-checks">
          {m.prerequisites.map((c) => (
            <li key={c.id} className={c.met ? 'met' : 'unmet'}>
              <span className="pr-check-mark" aria-hidden="true">
                {c.met ? '✓' : '○'}
              </span>
              <span>
                <strong>{c.met ? p.detail.met : p.detail.unmet}</strong> — {c.detail}{' '}
                <span className="muted small">
                  ({c.source === 'framework' && c.clause ? p.detail.fromText(c.clause) : p.detail.recorded})
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>{p.detail.participants}</h3>
      <table className="pr-participants">
        <thead>
          <tr>
            <th>{p.detail.participants}</th>
            <th>{p.detail.role}</th>
            <th>{p.detail.mode}</th>
            <th>{p.detail.localTime}</th>
          </tr>
        </thead>
        <tbody>
          {m.participants.map((x) => (
            <tr key={x.name}>
              <td>{x.name}</td>
              <td>{p.roles[x.role] ?? x.role}</td>
              <td>{p.modes[x.mode] ?? x.mode}</td>
              <td>
                {f.range(m.start, m.end, x.zone)} <span className="muted small">{x.zone}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {m.agenda.length > 0 && (
        <>
          <h3>{p.detail.agenda}</h3>
          <ul>
            {m.agenda.map((a) => (
              <li key={a.title}>
                {a.title} {a.clauses.length > 0 && <span className="muted small">({a.clauses.join(', ')})</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {detail && detail.outcomes.length > 0 && (
        <>
          <h3>{p.detail.outcomes}</h3>
          <ul>
            {detail.outcomes.map((o) => (
              <li key={o.recordedAt + o.decision}>
                {o.decision} {o.clauses.length > 0 && <span className="muted small">({o.clauses.join(', ')})</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {detail && detail.attendance.length > 0 && (
        <p className="small">
          <strong>{p.detail.attendance}:</strong> {detail.attendance.filter((a) => a.present).length} {p.detail.present},{' '}
          {detail.attendance.filter((a) => !a.present).length} {p.detail.absent}
        </p>
      )}
      {detail && (
        <>
          <h3>{p.detail.minutes}</h3>
          {detail.minutes.length === 0 ? (
            <p className="muted">{p.detail.noMinutes}</p>
          ) : (
            detail.minutes.map((x) => (
              <blockquote key={x.recordedAt + x.text} className="pr-minutes">
                {x.text}
                <footer className="muted small">
                  {x.actor} · {x.visibility.join(', ')}
                </footer>
              </blockquote>
            ))
          )}
        </>
      )}
      <p className="pr-links">
        <a href={icsUrl(m.id)} download={`${m.id}.ics`}>
          {p.detail.ics}
        </a>
        {m.videoLink && (
          <a href={m.videoLink} rel="noreferrer" target="_blank">
            {p.detail.video}
          </a>
        )}
      </p>
      {refusal && (
        <p className="pr-problem" role="alert" data-testid="panel-problem">
          {refusal.detail}
        </p>
      )}
      {overriding && canPlan && (
        <OverrideForm
          id={m.id}
          onCancel={() => setOverriding(false)}
          onDone={() => {
            setOverriding(false);
            setRefusal(null);
            saved();
          }}
        />
      )}
      {canPlan && (
        <div className="pr-actions">
          <StatusActions status={m.status} onAct={act} />
          {detail && m.status !== 'closed' && m.status !== 'cancelled' && (
            <button type="button" className="button" data-testid="edit-meeting" onClick={() => onEdit(detail)}>
              {p.edit.open}
            </button>
          )}
        </div>
      )}
      {detail && held && (
        <RecordsPanel
          key={`${detail.id}-${detail.attendance.length}`}
          meeting={detail}
          canPlan={canPlan}
          canWriteMinutes={user.roles.includes('mediator') || user.roles.includes('delegate')}
          ownParty={user.party}
          onSaved={saved}
        />
      )}
      {m.status !== 'held' && m.status !== 'closed' && m.status !== 'cancelled' && <SlipPanel id={m.id} zone={zone} />}
      {m.status !== 'held' && m.status !== 'closed' && m.status !== 'cancelled' && m.participants.length > 0 && (
        <SlotFinder id={m.id} start={m.start} zone={zone} />
      )}
    </section>
  );
}

const NEXT: Record<string, (keyof ProcessMessages['actions'])[]> = {
  planned: ['confirm', 'held', 'postpone', 'cancel'],
  confirmed: ['held', 'postpone', 'cancel'],
  held: ['close'],
  postponed: ['confirm', 'cancel'],
};
const STATUS_OF: Record<keyof ProcessMessages['actions'], string> = {
  confirm: 'confirmed',
  held: 'held',
  postpone: 'postponed',
  cancel: 'cancelled',
  close: 'closed',
};

function StatusActions({ status, onAct }: { status: string; onAct: (status: string) => Promise<void> }) {
  const p = useProcessT();
  return (
    <>
      {(NEXT[status] ?? []).map((a) => (
        <button key={a} type="button" className="button" onClick={() => void onAct(STATUS_OF[a])}>
          {p.actions[a]}
        </button>
      ))}
    </>
  );
}

function SlipPanel({ id, zone }: { id: string; zone: string }) {
  const p = useProcessT();
  const api = useApi();
  const f = useFormats(zone);
  const [days, setDays] = useState(2);
  const [result, setResult] = useState<SlipResult | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const run = async (e: FormEvent) => {
    e.preventDefault();
    const r = await getSlip(api, id, days);
    if (r.ok) {
      setResult(r.value);
      setProblem(null);
    } else setProblem(r.problem);
  };
  const others = result?.moved.filter((m) => m.id !== id) ?? [];
  return (
    <form className="pr-slip" onSubmit={(e) => void run(e)} data-testid="slip">
      <h3>{p.slip.title}</h3>
      <label>
        {p.slip.days} <input type="number" min={1} max={60} value={days} onChange={(e) => setDays(Number(e.target.value))} />
      </label>{' '}
      <button type="submit" className="button">
        {p.slip.run}
      </button>
      {problem && <p className="pr-problem">{problem.detail}</p>}
      {result && (
        <ul>
          {others.length === 0 && <li>{p.slip.nothing}</li>}
          {others.map((m) => (
            <li key={m.id}>
              {p.slip.moves(m.title, m.byHours)} <span className="muted small">→ {f.mine(m.to, m.to)}</span>
            </li>
          ))}
          {result.broken.map((b) => (
            <li key={b.id} className="pr-broken">
              {p.slip.broken(b.title)}
            </li>
          ))}
          <li>{p.slip.end(result.endMovesByHours)}</li>
        </ul>
      )}
    </form>
  );
}

/** The slot finder for a meeting's participants: the best slots in a week around the planned date. */
function SlotFinder({ id, start, zone }: { id: string; start: string; zone: string }) {
  const p = useProcessT();
  const api = useApi();
  const f = useFormats(zone);
  const day = (offset: number) => new Date(Date.parse(start) + offset * 86_400_000).toISOString().slice(0, 10);
  const [from, setFrom] = useState(day(-2));
  const [to, setTo] = useState(day(4));
  const [result, setResult] = useState<Slots | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const run = async (e: FormEvent) => {
    e.preventDefault();
    const r = await getSlots(api, id, from, to);
    if (r.ok) {
      setResult(r.value);
      setProblem(null);
    } else setProblem(r.problem);
  };
  const hm = (local: string) => local.slice(11, 16);
  return (
    <form className="pr-slots" onSubmit={(e) => void run(e)} data-testid="slot-finder">
      <h3>{p.slots.title}</h3>
      <p className="muted small">{p.slots.lead}</p>
      <label>
        {p.slots.from} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>{' '}
      <label>
        {p.slots.to} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>{' '}
      <button type="submit" className="button">
        {p.slots.run}
      </button>
      {problem && <p className="pr-problem">{problem.detail}</p>}
      {result && result.slots.length === 0 && <p>{p.slots.none}</p>}
      {result && result.slots.length > 0 && (
        <table className="pr-slot-table">
          <thead>
            <tr>
              <th>{p.detail.yourTime}</th>
              {result.current.map((x) => (
                <th key={x.name} title={x.zone}>
                  {x.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.slots.slice(0, 5).map((slot) => (
              <tr key={slot.start}>
                <td>
                  <strong>{f.mine(slot.start, slot.end)}</strong>
                  <div className="muted small">{p.slots.inside(slot.inside, slot.of)}</div>
                </td>
                {slot.participants.map((x) => (
                  <td
                    key={x.name}
                    className={x.inside ? 'in' : 'out'}
                    title={x.inside ? `${x.zone} UTC${x.offset}` : `${p.slots.outside} — ${x.zone} UTC${x.offset}`}
                  >
                    {hm(x.start)}–{hm(x.end)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </form>
  );
}

// ---------------------------------------------------------------------------------------------------
// Feed and planning

function FeedButton() {
  const p = useProcessT();
  const api = useApi();
  const [url, setUrl] = useState<string | null>(null);
  return (
    <span className="pr-feed">
      <button
        type="button"
        className="button"
        onClick={() =>
          void createFeed(api).then((r) => {
            if (r.ok) setUrl(new URL(r.value.url, window.location.origin).toString());
          })
        }
      >
        {p.feed.open}
      </button>
      {url && (
        <span className="pr-feed-url" role="status">
          {p.feed.lead} <code>{url}</code>
        </span>
      )}
    </span>
  );
}

/** Pointers the form shows beside their field; any other problem is shown under the form. */
function shownAtField(pointer: string | undefined): boolean {
  if (!pointer) return false;
  return (
    ['/code', '/title', '/venue/name', '/venue/zone', '/start', '/end', '/videoLink'].includes(pointer) ||
    /^\/participants\/\d+\/(name|zone|mode)$/.test(pointer)
  );
}

interface ParticipantRow extends ParticipantDraft {
  readonly key: number;
}

/** The form's starting values: empty to plan, the meeting as it stands to revise it. */
function initialDraft(existing: MeetingDetail | undefined) {
  return {
    code: existing?.id ?? '',
    title: existing?.title ?? '',
    track: existing?.track ?? 'advisers',
    venueName: existing?.venue.name ?? '',
    zone: existing?.venue.zone ?? 'Europe/Kyiv',
    start: existing?.local.start ?? '',
    end: existing?.local.end ?? '',
    format: (existing?.format ?? 'hybrid') as MeetingDraft['format'],
    videoLink: existing?.videoLink ?? '',
    hardDate: existing?.hardDate ?? false,
  };
}

/** Participants as rows; on a revision, what the form does not show (person, party, hours…) travels along. */
function initialPeople(existing: MeetingDetail | undefined): ParticipantRow[] {
  if (!existing) return [{ key: 1, name: '', zone: 'Europe/Kyiv', mode: 'in-person', role: 'chair' }];
  return existing.participants.map((x, i) => ({
    key: i + 1,
    name: x.name,
    person: x.person,
    party: x.party,
    email: x.email,
    response: x.response,
    ...(x.hours ? { hours: x.hours } : {}),
    zone: x.zone,
    mode: x.mode as ParticipantDraft['mode'],
    role: x.role as ParticipantDraft['role'],
  }));
}

function PlanForm({
  existing,
  onClose,
  onPlanned,
}: {
  /** the meeting to revise; absent, a new one is planned */
  existing?: MeetingDetail;
  onClose: () => void;
  onPlanned: (id: string) => void;
}) {
  const p = useProcessT();
  const api = useApi();
  const [draft, setDraft] = useState(() => initialDraft(existing));
  const [people, setPeople] = useState<ParticipantRow[]>(() => initialPeople(existing));
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [saving, setSaving] = useState(false);
  const key = useRef(newIdempotencyKey());
  const errorAt = (pointer: string) =>
    problem && problem.pointer && (problem.pointer === pointer || problem.pointer.startsWith(`${pointer}/`)) ? problem.detail : null;
  const set = (k: keyof typeof draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    const body: MeetingDraft = {
      code: draft.code.trim(),
      title: draft.title,
      track: draft.track,
      venue: { name: draft.venueName, zone: draft.zone },
      start: draft.start,
      end: draft.end,
      format: draft.format,
      videoLink: draft.videoLink.trim() || null,
      hardDate: draft.hardDate,
      participants: people.filter((x) => x.name.trim()).map(({ key: _key, ...x }) => x),
      ...(existing ? { agenda: existing.agenda } : {}),
    };
    const r = existing ? await reviseMeeting(api, existing.id, body) : await planMeeting(api, body, key.current);
    setSaving(false);
    if (r.ok) onPlanned(body.code);
    else {
      setProblem(r.problem);
      key.current = newIdempotencyKey();
    }
  };
  const row = (i: number, patch: Partial<ParticipantDraft>) => setPeople((ps) => ps.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  return (
    <form
      className="pr-section pr-plan"
      onSubmit={(e) => void submit(e)}
      data-testid={existing ? 'edit-form' : 'plan-form'}
      aria-labelledby="pr-plan-title"
    >
      <h2 id="pr-plan-title">{existing ? p.edit.title(existing.title) : p.plan.title}</h2>
      {existing && <p className="muted small">{p.edit.note}</p>}
      <div className="pr-grid">
        <Field id="pr-code" label={p.plan.code} hint={existing ? undefined : p.plan.codeHint} error={errorAt('/code')}>
          {(c) => <input {...c} value={draft.code} onChange={set('code')} required readOnly={!!existing} />}
        </Field>
        <Field id="pr-title" label={p.plan.name} error={errorAt('/title')}>
          {(c) => <input {...c} value={draft.title} onChange={set('title')} required />}
        </Field>
        <Field id="pr-track" label={p.plan.track}>
          {(c) => (
            <select {...c} value={draft.track} onChange={set('track')}>
              {TRACKS.map((t) => (
                <option key={t} value={t}>
                  {p.tracks[t]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="pr-venue" label={p.plan.venue} error={errorAt('/venue/name')}>
          {(c) => <input {...c} value={draft.venueName} onChange={set('venueName')} required />}
        </Field>
        <Field id="pr-zone" label={p.plan.zone} error={errorAt('/venue/zone')}>
          {(c) => (
            <>
              <input {...c} list="pr-zones" value={draft.zone} onChange={set('zone')} required />
              <datalist id="pr-zones">
                {ZONES.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field id="pr-start" label={p.plan.start} error={errorAt('/start')}>
          {(c) => <input {...c} type="datetime-local" value={draft.start} onChange={set('start')} required />}
        </Field>
        <Field id="pr-end" label={p.plan.end} error={errorAt('/end')}>
          {(c) => <input {...c} type="datetime-local" value={draft.end} onChange={set('end')} required />}
        </Field>
        <Field id="pr-format" label={p.plan.format}>
          {(c) => (
            <select {...c} value={draft.format} onChange={set('format')}>
              {(['in-person', 'hybrid', 'virtual'] as const).map((x) => (
                <option key={x} value={x}>
                  {p.formats[x]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="pr-video" label={p.plan.videoLink} error={errorAt('/videoLink')}>
          {(c) => <input {...c} type="url" value={draft.videoLink} onChange={set('videoLink')} placeholder="https://" />}
        </Field>
        <label className="pr-hard-check">
          <input type="checkbox" checked={draft.hardDate} onChange={(e) => setDraft((d) => ({ ...d, hardDate: e.target.checked }))} />{' '}
          {p.plan.hardDate}
        </label>
      </div>
      <fieldset className="pr-people">
        <legend>{p.plan.participants}</legend>
        {people.map((x, i) => (
          <div className="pr-person" key={x.key} data-testid="participant-row">
            <Field id={`pr-p${x.key}-name`} label={p.plan.participantName} error={errorAt(`/participants/${i}/name`)}>
              {(c) => <input {...c} value={x.name} onChange={(e) => row(i, { name: e.target.value })} />}
            </Field>
            <Field id={`pr-p${x.key}-zone`} label={p.plan.participantZone} error={errorAt(`/participants/${i}/zone`)}>
              {(c) => <input {...c} list="pr-zones" value={x.zone} onChange={(e) => row(i, { zone: e.target.value })} />}
            </Field>
            <Field id={`pr-p${x.key}-mode`} label={p.plan.participantMode} error={errorAt(`/participants/${i}/mode`)}>
              {(c) => (
                <select {...c} value={x.mode} onChange={(e) => row(i, { mode: e.target.value as ParticipantDraft['mode'] })}>
                  <option value="in-person">{p.modes['in-person']}</option>
                  <option value="video">{p.modes.video}</option>
                </select>
              )}
            </Field>
            <Field id={`pr-p${x.key}-role`} label={p.plan.participantRole}>
              {(c) => (
                <select {...c} value={x.role} onChange={(e) => row(i, { role: e.target.value as ParticipantDraft['role'] })}>
                  {(['chair', 'delegate', 'adviser', 'observer'] as const).map((r) => (
                    <option key={r} value={r}>
                      {p.roles[r]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="button" className="button" onClick={() => setPeople((ps) => ps.filter((_, j) => j !== i))}>
              {p.plan.remove}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button"
          onClick={() =>
            setPeople((ps) => [
              ...ps,
              { key: Math.max(0, ...ps.map((q) => q.key)) + 1, name: '', zone: 'America/New_York', mode: 'video', role: 'delegate' },
            ])
          }
        >
          {p.plan.addParticipant}
        </button>
      </fieldset>
      {problem && !shownAtField(problem.pointer) && (
        <p className="pr-problem" role="alert">
          {problem.detail}
        </p>
      )}
      <div className="pr-actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? p.plan.saving : existing ? p.edit.submit : p.plan.submit}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {p.plan.cancel}
        </button>
      </div>
    </form>
  );
}
