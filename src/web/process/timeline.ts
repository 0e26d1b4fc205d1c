import { TRACKS } from '../../core/process/model';
import { offsetMinutes, wallTime } from '../../core/process/time';

/**
 * Geometry of the timeline of tracks, kept apart from React so it can be tested: one row per track,
 * a bar per meeting from its start to its end, prerequisite arrows from the end of one meeting to the
 * start of the one that waits for it, day ticks at midnight in the viewer's zone, and the today line
 * when today falls inside the range shown.
 */

export interface TimelineMeeting {
  readonly id: string;
  readonly title: string;
  readonly track: string;
  readonly start: string;
  readonly end: string;
  readonly status: string;
  readonly critical: boolean;
  readonly blocked: boolean;
  readonly hardDate: boolean;
}

export interface Bar {
  readonly meeting: TimelineMeeting;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly labelY: number;
  /** where the label starts (or ends, for a bar near the right edge) */
  readonly labelX: number;
  readonly labelAnchor: 'start' | 'end';
}
export interface Arrow {
  readonly from: string;
  readonly to: string;
  readonly d: string;
  readonly critical: boolean;
}
export interface Tick {
  readonly x: number;
  readonly label: string;
  readonly major: boolean;
}
export interface TimelineGeometry {
  readonly width: number;
  readonly height: number;
  readonly gutter: number;
  readonly top: number;
  readonly rowHeight: number;
  readonly tracks: readonly { readonly track: string; readonly y: number }[];
  readonly bars: readonly Bar[];
  readonly arrows: readonly Arrow[];
  readonly ticks: readonly Tick[];
  /** x of the today line, or null when today is outside the range; `todaySide` says which way it lies */
  readonly today: number | null;
  readonly todaySide: 'before' | 'inside' | 'after';
}

const DAY = 86_400_000;
const GUTTER = 150;
const TOP = 40;
const ROW = 78;
const BAR = 22;

/** Midnight in a zone on the local date of an instant (ms). */
function localMidnight(t: number, zone: string): number {
  const w = wallTime(t, zone);
  const guess = Date.UTC(w.year, w.month - 1, w.day);
  return guess - offsetMinutes(zone, guess) * 60_000;
}

export function timelineGeometry(
  meetings: readonly TimelineMeeting[],
  edges: readonly { from: string; to: string }[],
  criticalPath: readonly string[],
  now: string,
  zone: string,
  width: number,
  locale: string,
): TimelineGeometry {
  const tracks = [...TRACKS, ...new Set(meetings.map((m) => m.track).filter((t) => !(TRACKS as readonly string[]).includes(t)))];
  const starts = meetings.map((m) => Date.parse(m.start));
  const ends = meetings.map((m) => Date.parse(m.end));
  const nowMs = Date.parse(now);
  const from = localMidnight((meetings.length ? Math.min(...starts) : nowMs) - DAY, zone);
  const to = localMidnight((meetings.length ? Math.max(...ends) : nowMs + 14 * DAY) + DAY, zone) + DAY;
  const span = Math.max(DAY, to - from);
  const inner = width - GUTTER - 16;
  const x = (t: number) => GUTTER + ((t - from) / span) * inner;

  const rowOf = new Map(tracks.map((t, i) => [t, i]));
  const sorted = [...meetings].sort((a, b) => a.start.localeCompare(b.start));
  const lastLabelEnd = new Map<string, number[]>();
  const bars: Bar[] = sorted.map((m) => {
    const row = rowOf.get(m.track)!;
    const bx = x(Date.parse(m.start));
    const w = Math.max(14, x(Date.parse(m.end)) - bx);
    const y = TOP + row * ROW + 30;
    // Labels that would overlap the previous one in the row go to the line below the bar.
    const lanes = lastLabelEnd.get(m.track) ?? [-Infinity, -Infinity];
    const labelWidth = Math.min(220, m.title.length * 6.2);
    const lane = bx >= lanes[0]! ? 0 : bx >= lanes[1]! ? 1 : 0;
    lanes[lane] = bx + labelWidth + 8;
    lastLabelEnd.set(m.track, lanes);
    const flush = bx + labelWidth > width - 8;
    return {
      meeting: m,
      x: bx,
      y,
      width: w,
      height: BAR,
      labelY: lane === 0 ? y - 6 : y + BAR + 13,
      labelX: flush ? bx + w : bx,
      labelAnchor: flush ? 'end' : 'start',
    };
  });

  const barOf = new Map(bars.map((b) => [b.meeting.id, b]));
  const onPath = new Set(criticalPath.map((id, i) => `${criticalPath[i - 1] ?? ''}>${id}`));
  const arrows: Arrow[] = [];
  for (const e of edges) {
    const a = barOf.get(e.from);
    const b = barOf.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + a.width;
    const y1 = a.y + a.height / 2;
    const x2 = b.x - 2;
    const y2 = b.y + b.height / 2;
    const bend = Math.max(24, Math.abs(x2 - x1) / 2);
    arrows.push({
      from: e.from,
      to: e.to,
      d: `M${x1.toFixed(1)},${y1.toFixed(1)} C${(x1 + bend).toFixed(1)},${y1.toFixed(1)} ${(x2 - bend).toFixed(1)},${y2.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`,
      critical: onPath.has(`${e.from}>${e.to}`),
    });
  }

  const days = Math.round(span / DAY);
  const every = days <= 21 ? 1 : days <= 60 ? 2 : days <= 120 ? 7 : 14;
  const dayFormat = new Intl.DateTimeFormat(locale, { timeZone: zone, day: 'numeric' });
  const monthFormat = new Intl.DateTimeFormat(locale, { timeZone: zone, day: 'numeric', month: 'short' });
  const ticks: Tick[] = [];
  for (let t = from, i = 0; t < to; i++) {
    const w = wallTime(t + 12 * 3_600_000, zone);
    if (i % every === 0)
      ticks.push({
        x: x(t),
        label: (w.day === 1 || i === 0 ? monthFormat : dayFormat).format(t + 12 * 3_600_000),
        major: w.day === 1 || i === 0,
      });
    t = localMidnight(t + DAY + 12 * 3_600_000, zone);
  }
  const todaySide = nowMs < from ? 'before' : nowMs > to ? 'after' : 'inside';
  return {
    width,
    height: TOP + tracks.length * ROW + 8,
    gutter: GUTTER,
    top: TOP,
    rowHeight: ROW,
    tracks: tracks.map((t, i) => ({ track: t, y: TOP + i * ROW })),
    bars,
    arrows,
    ticks,
    today: todaySide === 'inside' ? x(nowMs) : null,
    todaySide,
  };
}

/** Days of a month grid (Monday first) in the viewer's zone, each with the meetings that start on it. */
export function monthGrid<T extends { start: string }>(
  year: number,
  month: number,
  meetings: readonly T[],
  zone: string,
): { date: string; inMonth: boolean; meetings: T[] }[] {
  const first = Date.UTC(year, month - 1, 1);
  const weekday = new Date(first).getUTCDay() || 7;
  const startDay = first - (weekday - 1) * DAY;
  const byDate = new Map<string, T[]>();
  for (const m of meetings) {
    const w = wallTime(Date.parse(m.start), zone);
    const key = `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
    byDate.set(key, [...(byDate.get(key) ?? []), m]);
  }
  const cells: { date: string; inMonth: boolean; meetings: T[] }[] = [];
  for (let i = 0; i < 42; i++) {
    const d = new Date(startDay + i * DAY);
    const key = d.toISOString().slice(0, 10);
    cells.push({ date: key, inMonth: d.getUTCMonth() === month - 1, meetings: byDate.get(key) ?? [] });
    if (i === 34 && new Date(startDay + 35 * DAY).getUTCMonth() !== month - 1) break;
  }
  return cells;
}
