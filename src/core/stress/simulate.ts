import { nominalMs } from '../guarantees/duration';
import {
  applyEscalationEvent,
  currentRung,
  decideEscalation,
  expireEscalation,
  openEscalation,
  type Escalation,
  type EscalationCommand,
  type EscalationEvent,
} from '../guarantees/ladder';
import { mostFrequent } from '../guarantees/live/verified-case';
import { TriggerEngine, type EscalationOpening, type VerifiedCase } from '../guarantees/trigger';
import { matchRules, closeness } from '../operations/correlation';
import { lognormal, Random } from './random';
import type { GuarantorBehaviour, Latency } from './scenario';
import type { SimulatedBreach } from './money';
import { cellKey, zonesAt, type SimulationSetup } from './setup';

/**
 * One simulated run of a ceasefire, on a virtual clock: incidents happen (base rates, reheating,
 * provocations, false claims, sensor phantoms, a historical replay), the monitors' reports are
 * grouped into cases by the correlation rules of operations, cases are verified (or not) after a
 * drawn delay, each verified case goes through the live trigger engine, and each escalation climbs
 * the live ladder: the owners' acknowledgements, decisions and responses are drawn from the scenario's
 * behaviours and decided by `decideEscalation`; missed deadlines by `expireEscalation`. Pure: the seed
 * is the only source of chance, time is the virtual clock's.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const INCIDENT_KINDS = ['breach', 'provocation', 'false-claim', 'phantom', 'replay'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** Why a breach did or did not reach a responsible guarantor. */
export const FATES = [
  'reached',
  'no-responder',
  'unverified',
  'denied-access',
  'unattributed',
  'uncovered',
  'below-threshold',
  'pending',
] as const;
export type Fate = (typeof FATES)[number];

export interface ClauseFailures {
  gap: number;
  deadEnd: number;
  veto: number;
  missedRungs: number;
  falseTriggers: number;
}

/** What one run yields: small, plain, and the same for the same seed. */
export interface RunOutcome {
  readonly seed: number;
  /** Real breaches (base rates, reheating, provocations, replay). */
  readonly breaches: number;
  readonly reports: number;
  readonly cases: number;
  readonly fates: Record<Fate, number>;
  /** Breaches whose place lies in a cell the coverage check finds without a lead responder. */
  readonly gapBreaches: number;
  readonly gapCells: Record<string, number>;
  /** Per escalation that a guarantor answered: from the breach that triggered it to the first response, ms. */
  readonly firstResponseMs: number[];
  readonly escalations: { opened: number; responded: number; deadEnd: number; veto: number; unresolved: number };
  /** Escalations opened on a false claim, a phantom, or a provocation blamed on a party. */
  readonly falseTriggers: number;
  readonly heldDays: boolean[];
  readonly clauses: Record<string, ClauseFailures>;
  readonly perDay: { breaches: number[]; escalations: number[] };
  /** Day (after the start) each followed tranche unlocks, in the scenario's order, or null; null when money is not followed. */
  readonly money: (number | null)[] | null;
}

interface Incident {
  id: number;
  readonly kind: IncidentKind;
  readonly time: number;
  readonly lon: number;
  readonly lat: number;
  readonly type: string;
  readonly domain: string;
  readonly severity: number;
  /** Who really did it (null: a third party, or nothing happened). */
  readonly actual: string | null;
  /** Who it will look like (the claim's target, the provocation's scapegoat). */
  readonly blamed: string | null;
  readonly detected: boolean;
  readonly verifiedWrongly: number;
  case: number;
}

interface Report {
  readonly incident: number;
  readonly time: number;
  readonly lon: number;
  readonly lat: number;
  readonly type: string;
  readonly domain: string;
  readonly source: number;
  readonly claim: boolean;
}

interface SimCase {
  readonly id: number;
  readonly reports: number[];
  readonly firstTime: number;
  readonly incident: number;
  fate: Fate | null;
  usedBy: string | null;
}

const OBSERVATION_SOURCES = 6;

// ---------------------------------------------------------------------------------------------------
// A small binary heap of timed actions; ties keep insertion order so a run is deterministic.

interface Timed {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

class Agenda {
  private readonly heap: Timed[] = [];
  private seq = 0;
  add(at: number, run: () => void): void {
    const h = this.heap;
    h.push({ at, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): Timed | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (a: Timed, b: Timed) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------------

export function simulateRun(setup: SimulationSetup, seed: number): RunOutcome {
  const s = setup.scenario;
  const random = new Random(seed);
  const start = Date.parse(s.start);
  const end = start + s.days * DAY;

  const incidents = generateIncidents(setup, random, start, end);
  const reports: Report[] = [];
  for (const inc of incidents) reportIncident(setup, random, inc, reports);
  reports.sort((a, b) => a.time - b.time || a.incident - b.incident);
  const cases = correlate(setup, reports, incidents);

  const agenda = new Agenda();
  const engine = new TriggerEngine(setup.text, { ceasefire: { from: s.start } });
  const fates = Object.fromEntries(FATES.map((f) => [f, 0])) as Record<Fate, number>;
  const clauses: Record<string, ClauseFailures> = {};
  const failures = (clause: string) => (clauses[clause] ??= { gap: 0, deadEnd: 0, veto: 0, missedRungs: 0, falseTriggers: 0 });
  const escalations = { opened: 0, responded: 0, deadEnd: 0, veto: 0, unresolved: 0 };
  const firstResponseMs: number[] = [];
  const perDay = { breaches: new Array<number>(s.days).fill(0), escalations: new Array<number>(s.days).fill(0) };
  const open = new Map<string, { e: Escalation; vetoed: boolean; answered: boolean; breachAt: number }>();
  let falseTriggers = 0;
  // The ceasefire record the prosperity conditions read: every verified case, attributed or not.
  const verified: SimulatedBreach[] = [];

  // Verification of each case, drawn now so that the draws do not depend on the order of events.
  for (const c of cases) {
    const inc = incidents[c.incident]!;
    const verdict = verify(setup, random, inc, c, reports);
    if (verdict.kind !== 'verified') {
      c.fate = verdict.kind === 'denied' ? 'denied-access' : 'unverified';
      continue;
    }
    if (verdict.at >= end) {
      c.fate = 'pending';
      continue;
    }
    if (setup.money) verified.push(breachOfCase(verdict.kase, verdict.at));
    agenda.add(verdict.at, () => judge(c, verdict.kase));
  }

  function judge(c: SimCase, kase: VerifiedCase): void {
    if (kase.attribution === null) {
      c.fate = 'unattributed';
      return;
    }
    const outcomes = engine.evaluate(kase);
    for (const o of outcomes) {
      if (o.kind === 'opened') open1(o.opening, kase.verifiedAt);
      else {
        c.fate = 'reached';
        c.usedBy = o.escalations[0] ?? null;
      }
    }
    if (c.fate === null) c.fate = covered(kase) ? 'below-threshold' : 'uncovered';
  }

  function covered(k: VerifiedCase): boolean {
    return setup.text.commitments.some(
      (c) => c.domain === k.domain && c.breachTypes.includes(k.type) && (c.zones.length === 0 || k.zones.some((z) => c.zones.includes(z))),
    );
  }

  function open1(opening: EscalationOpening, at: string): void {
    let e: Escalation | null = null;
    const events = openEscalation(opening);
    events.forEach((ev, i) => (e = applyEscalationEvent(e, ev, i + 1)));
    const esc = e!;
    escalations.opened++;
    perDay.escalations[Math.min(s.days - 1, Math.floor((Date.parse(at) - start) / DAY))]!++;
    const responder = opening.leadResponder !== null;
    let fake = false;
    let breachAt = -Infinity;
    for (const ev of opening.evidence) {
      const c = cases[Number(ev.id)]!;
      c.fate = responder ? 'reached' : 'no-responder';
      c.usedBy = esc.id;
      const inc = incidents[c.incident]!;
      if (inc.actual === null || inc.actual !== opening.against) fake = true;
      breachAt = Math.max(breachAt, Date.parse(ev.occurredAt));
    }
    if (fake) {
      falseTriggers++;
      failures(opening.clause).falseTriggers++;
    }
    const state = { e: esc, vetoed: false, answered: false, breachAt };
    open.set(esc.id, state);
    if (esc.status !== 'open') return finish(state, Date.parse(at));
    plan(state);
  }

  function apply(state: { e: Escalation }, events: readonly EscalationEvent[]): void {
    for (const ev of events) state.e = applyEscalationEvent(state.e, ev, state.e.version + 1);
  }

  function finish(state: { e: Escalation; vetoed: boolean }, at: number): void {
    const e = state.e;
    if (e.status === 'responded') escalations.responded++;
    if (e.status === 'dead-end') {
      escalations.deadEnd++;
      failures(e.opening.clause).deadEnd++;
      if (state.vetoed) {
        escalations.veto++;
        failures(e.opening.clause).veto++;
      }
    }
    void at;
    open.delete(e.id);
    engine.escalationEnded(e.opening.commitment, e.opening.against);
  }

  /** The current rung: its deadline on the agenda, and the owners' acts as the scenario draws them. */
  function plan(state: { e: Escalation; vetoed: boolean; answered: boolean; breachAt: number }): void {
    const rung = currentRung(state.e);
    if (!rung) return;
    const rungCount = state.e.rungs.length;
    const stillHere = () => state.e.status === 'open' && state.e.rungs.length === rungCount;
    if (rung.deadline !== null) {
      const due = Date.parse(rung.deadline);
      agenda.add(due, () => {
        if (!stillHere()) return;
        const events = expireEscalation(state.e, new Date(due));
        apply(state, events);
        for (const ev of events) if (ev.type === 'escalation.rung-missed') failures(state.e.opening.clause).missedRungs++;
        if (state.e.status !== 'open') finish(state, due);
        else plan(state);
      });
    }
    const ladderPlan = state.e.opening.ladder[rung.index]!;
    const act = behaviourOf(setup, random, state.e.opening, ladderPlan.ownerParties);
    if (act === null) return;
    const opened = Date.parse(rung.openedAt);
    const by = ladderPlan.actors[0]!;
    const monitor = ladderPlan.ownerParties.every((p) => p === setup.scenario.monitors.party);
    const handOn = ladderPlan.nextIndex !== null && !/respon/.test(ladderPlan.action);
    const step = (at: number, command: EscalationCommand, after?: () => void) =>
      agenda.add(at, () => {
        if (!stillHere()) return;
        const decided = decideEscalation(state.e, command, new Date(at));
        if (!decided.ok) return;
        apply(state, decided.value);
        after?.();
      });
    step(opened + act.latencyMs * 0.2, { type: 'acknowledge', by, note: '' });
    if (act.vetoed) {
      step(opened + act.latencyMs * 0.6, { type: 'decide', by, decision: 'not-act', note: 'vetoed' }, () => (state.vetoed = true));
      return;
    }
    step(opened + act.latencyMs * 0.6, { type: 'decide', by, decision: 'act', note: '' });
    step(opened + act.latencyMs, { type: 'respond', by, note: 'done', handOn }, () => {
      if (!monitor && !state.answered) {
        state.answered = true;
        firstResponseMs.push(opened + act.latencyMs - state.breachAt);
      }
      if (state.e.status !== 'open') finish(state, opened + act.latencyMs);
      else plan(state);
    });
  }

  for (let next = agenda.pop(); next && next.at < end; next = agenda.pop()) next.run();

  for (const state of open.values()) {
    escalations.unresolved++;
    if (state.vetoed) {
      escalations.veto++;
      failures(state.e.opening.clause).veto++;
    }
  }

  // Each breach takes its case's fate; where it happened decides whether it fell in a coverage gap.
  let breaches = 0;
  let gapBreaches = 0;
  const gapKinds = new Set([...setup.gapCells.keys()].map((k) => k.slice(0, k.lastIndexOf('|'))));
  const gapCells: Record<string, number> = {};
  const heldDays = new Array<boolean>(s.days).fill(true);
  for (const inc of incidents) {
    if (inc.actual === null && inc.kind !== 'provocation') continue;
    breaches++;
    const day = Math.floor((inc.time - start) / DAY);
    perDay.breaches[day]!++;
    if (inc.severity > s.heldMaxSeverity) heldDays[day] = false;
    const c = cases[inc.case];
    const fate = c?.fate ?? 'unverified';
    fates[fate]++;
    // Only a type and domain with a gap somewhere needs the place classified.
    if (!gapKinds.has(`${inc.type}|${inc.domain}`)) continue;
    for (const zone of zonesAt(setup, inc.lon, inc.lat)) {
      const key = cellKey(inc.type, inc.domain, zone);
      const gap = setup.gapCells.get(key);
      if (!gap) continue;
      gapBreaches++;
      gapCells[key] = (gapCells[key] ?? 0) + 1;
      failures(gap[0]!).gap++;
      break;
    }
  }
  return {
    seed,
    breaches,
    reports: reports.length,
    cases: cases.length,
    fates,
    gapBreaches,
    gapCells,
    firstResponseMs,
    escalations,
    falseTriggers,
    heldDays,
    clauses,
    perDay,
    money: setup.money ? setup.money.unlocks(verified) : null,
  };
}

// ---------------------------------------------------------------------------------------------------
// Incidents

function severityOf(random: Random, weights: Readonly<Record<string, number>>): number {
  const keys = Object.keys(weights).sort();
  return Number(keys[random.weighted(keys.map((k) => weights[k]!))]);
}

function generateIncidents(setup: SimulationSetup, random: Random, start: number, end: number): Incident[] {
  const s = setup.scenario;
  const out: Incident[] = [];
  const add = (i: Omit<Incident, 'id' | 'case'>) => {
    (i as Incident).id = out.length;
    (i as Incident).case = -1;
    out.push(i as Incident);
  };
  const place = (zone: string) => setup.samplers.get(zone)!(() => random.next());
  const lasts = s.reheating ? nominalMs(s.reheating.lasts) : 0;
  // Breach times of each side, for reheating: a breach raises the OTHER sides' rates while it lasts.
  const recent = new Map<string, number[]>(setup.sides.map((p) => [p, []]));
  const multiplier = (by: string, t: number): number => {
    if (!s.reheating) return 1;
    let n = 0;
    for (const [side, times] of recent) {
      if (side === by) continue;
      while (times.length && times[0]! < t - lasts) times.shift();
      n += times.length;
    }
    return Math.min(s.reheating.max, Math.pow(s.reheating.factor, n));
  };
  for (let t = start; t < end; t += HOUR) {
    for (const b of s.breaches) {
      const n = random.poisson((b.perDay / 24) * multiplier(b.by, t));
      for (let k = 0; k < n; k++) {
        const p = place(b.zone);
        const time = t + random.below(HOUR);
        add({
          kind: 'breach',
          time,
          ...p,
          type: b.type,
          domain: b.domain,
          severity: severityOf(random, b.severity),
          actual: b.by,
          blamed: b.by,
          detected: false,
          verifiedWrongly: 0,
        });
        recent.get(b.by)?.push(time);
      }
    }
    for (const p of s.provocations) {
      const n = random.poisson(p.perDay / 24);
      for (let k = 0; k < n; k++) {
        const at = place(p.zone);
        add({
          kind: 'provocation',
          time: t + random.below(HOUR),
          ...at,
          type: p.type,
          domain: p.domain,
          severity: severityOf(random, p.severity),
          actual: null,
          blamed: p.blamed,
          detected: random.chance(p.detected),
          verifiedWrongly: 0,
        });
        // A provocation blamed on a side heats the other sides up as if it were real.
        recent.get(p.blamed)?.push(t);
      }
    }
    for (const f of s.falseClaims) {
      const n = random.poisson(f.perDay / 24);
      for (let k = 0; k < n; k++)
        add({
          kind: 'false-claim',
          time: t + random.below(HOUR),
          ...place(f.zone),
          type: f.type,
          domain: f.domain,
          severity: 3,
          actual: null,
          blamed: f.against,
          detected: false,
          verifiedWrongly: f.verifiedWrongly,
        });
    }
    if (s.noise.falseReportsPerDay > 0 && s.breaches.length > 0) {
      const n = random.poisson(s.noise.falseReportsPerDay / 24);
      for (let k = 0; k < n; k++) {
        const b = s.breaches[random.below(s.breaches.length)]!;
        const blamed = setup.sides[random.below(setup.sides.length)] ?? null;
        add({
          kind: 'phantom',
          time: t + random.below(HOUR),
          ...place(b.zone),
          type: b.type,
          domain: b.domain,
          severity: 2,
          actual: null,
          blamed,
          detected: false,
          verifiedWrongly: s.noise.verifiedWrongly,
        });
      }
    }
  }
  if (s.replay) {
    const weights = Object.entries(s.replay.attribution).sort(([a], [b]) => a.localeCompare(b));
    for (const r of setup.replay) {
      const time = start + r.offsetMs;
      if (time >= end) continue;
      const by = weights[random.weighted(weights.map(([, w]) => w))]![0];
      add({
        kind: 'replay',
        time,
        lon: r.lon,
        lat: r.lat,
        type: s.replay.type ?? r.type,
        domain: r.domain,
        severity: r.killed > 0 ? 4 : s.replay.severity,
        actual: by,
        blamed: by,
        detected: false,
        verifiedWrongly: 0,
      });
    }
  }
  out.sort((a, b) => a.time - b.time || a.id - b.id);
  out.forEach((x, id) => (x.id = id));
  return out;
}

function reportIncident(setup: SimulationSetup, random: Random, inc: Incident, reports: Report[]): void {
  const s = setup.scenario;
  const sigma = s.noise.location_m / 111_320;
  const report = (claim: boolean, source: number): void => {
    reports.push({
      incident: inc.id,
      time: inc.time + random.below(10 * 60_000),
      lon: inc.lon + (sigma * random.normal()) / Math.cos((inc.lat * Math.PI) / 180),
      lat: inc.lat + sigma * random.normal(),
      type: inc.type,
      domain: inc.domain,
      source,
      claim,
    });
  };
  if (inc.kind === 'false-claim') return report(true, -1);
  if (inc.kind === 'phantom') return report(false, 4);
  const n = 1 + random.poisson(s.monitors.sources - 1);
  for (let i = 0; i < n; i++) report(false, random.below(OBSERVATION_SOURCES));
  if (random.chance(s.monitors.claims)) report(true, -1);
}

/** Groups reports into cases as intake does: the closest earlier report a rule groups with, else a new case. */
function correlate(setup: SimulationSetup, reports: readonly Report[], incidents: Incident[]): SimCase[] {
  const cases: SimCase[] = [];
  const caseOf: number[] = [];
  // How far back a report of each type can find a partner: the widest window of the rules that group that type.
  const reach = new Map<string, number>();
  const reachOf = (type: string) => {
    let ms = reach.get(type);
    if (ms === undefined) {
      ms = 0;
      for (const rule of setup.rules)
        if (rule.compatible.some((g) => (g as readonly string[]).includes(type))) ms = Math.max(ms, rule.maxMinutes * 60_000);
      reach.set(type, ms);
    }
    return ms;
  };
  for (let i = 0; i < reports.length; i++) {
    const r = reports[i]!;
    const since = r.time - reachOf(r.type);
    let best = -1;
    let bestScore = Infinity;
    for (let j = i - 1; j >= 0 && reports[j]!.time >= since; j--) {
      const o = reports[j]!;
      const m = matchRules(setup.rules, o, r);
      if (m === null) continue;
      const score = closeness(m);
      if (score < bestScore) {
        bestScore = score;
        best = j;
      }
    }
    if (best >= 0) {
      const c = cases[caseOf[best]!]!;
      c.reports.push(i);
      caseOf.push(c.id);
    } else {
      const c: SimCase = { id: cases.length, reports: [i], firstTime: r.time, incident: r.incident, fate: null, usedBy: null };
      cases.push(c);
      caseOf.push(c.id);
    }
    const inc = incidents[r.incident]!;
    if (inc.case < 0) inc.case = caseOf[i]!;
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------
// Verification by the monitors

type Verdict = { kind: 'verified'; at: number; kase: VerifiedCase } | { kind: 'unverified' } | { kind: 'denied' };

const CONFIDENCES = ['low', 'medium', 'high'] as const;

function verify(setup: SimulationSetup, random: Random, inc: Incident, c: SimCase, reports: readonly Report[]): Verdict {
  const m = setup.scenario.monitors;
  const rows = c.reports.map((i) => reports[i]!);
  // Access is denied to where the incident was first reported; the case's zones (every report's point,
  // as live) are needed only for a case the trigger engine will judge: verified and attributed.
  if (m.deniedAccess.length) {
    const first = zonesAt(setup, rows[0]!.lon, rows[0]!.lat);
    for (const d of m.deniedAccess) if (first.includes(d.zone) && random.chance(d.probability)) return { kind: 'denied' };
  }
  const real = inc.kind === 'breach' || inc.kind === 'replay' || inc.kind === 'provocation';
  if (real ? !random.chance(m.verifies) : !random.chance(inc.verifiedWrongly)) return { kind: 'unverified' };
  const at = c.firstTime + lognormal(random, nominalMs(m.verification.median), nominalMs(m.verification.p90));
  const observations = rows.filter((r) => !r.claim);
  const basis = observations.length ? observations : rows;
  let party: string | null;
  if (inc.kind === 'provocation') party = inc.detected ? null : inc.blamed;
  else if (real) party = random.chance(m.attributes) ? inc.actual : null;
  else party = inc.blamed;
  const confidence = CONFIDENCES[random.weighted([m.confidence.low, m.confidence.medium, m.confidence.high])]!;
  // A wrongly verified claim or phantom is believed as firmly as a real breach: that is what makes it dangerous.
  const sources = real ? new Set(observations.map((r) => r.source)).size : 2;
  const zones = new Set<string>();
  // Zones are also needed for every verified case when money is followed: any breach restarts a ceasefire count.
  if (party !== null || setup.money) for (const r of rows) for (const z of zonesAt(setup, r.lon, r.lat)) zones.add(z);
  return {
    kind: 'verified',
    at,
    kase: {
      id: String(c.id),
      occurredAt: iso(Math.min(...rows.map((r) => r.time))),
      verifiedAt: iso(at),
      type: mostFrequent(basis.map((r) => r.type)),
      domain: mostFrequent(basis.map((r) => r.domain)) as VerifiedCase['domain'],
      zones: [...zones].sort().slice(0, 64),
      severity: inc.severity,
      attribution: party === null ? null : { party, confidence },
      independentSources: sources,
      verifier: m.party,
    },
  };
}

/** A verified case as the prosperity module's ceasefire record holds it. */
function breachOfCase(kase: VerifiedCase, verifiedAt: number): SimulatedBreach {
  return {
    caseId: kase.id,
    caseNumber: Number(kase.id),
    occurredAt: kase.occurredAt,
    at: Date.parse(kase.occurredAt),
    severity: kase.severity,
    zones: kase.zones,
    verifiedAt,
  };
}

// ---------------------------------------------------------------------------------------------------
// Owners of a rung: how long they take, whether they turn up, whether they block

interface Act {
  readonly latencyMs: number;
  readonly vetoed: boolean;
}

function behaviour(setup: SimulationSetup, party: string): GuarantorBehaviour {
  return setup.scenario.guarantors.parties[party] ?? setup.scenario.guarantors.default;
}

function draw(random: Random, l: Latency): number {
  return lognormal(random, nominalMs(l.median), nominalMs(l.p90));
}

/** The owners' act on a rung, or null when they do not act (absent, or nobody is named). */
function behaviourOf(setup: SimulationSetup, random: Random, opening: EscalationOpening, owners: readonly string[]): Act | null {
  const s = setup.scenario;
  if (owners.length === 0) return null;
  if (owners.every((p) => p === s.monitors.party)) return { latencyMs: draw(random, s.monitors.rungLatency), vetoed: false };
  const parties = setup.text.parties;
  const members = [...new Set(owners.flatMap((p) => (parties.get(p)?.members.length ? [...parties.get(p)!.members] : [p])))];
  const acts = members.map((p) => {
    const b = behaviour(setup, p);
    let latency = draw(random, b.latency);
    for (const d of s.constitutionalDelays) if (d.party === p && random.chance(d.probability)) latency += nominalMs(d.extra);
    return { party: p, latency, absent: random.chance(b.absence), veto: random.chance(b.veto) };
  });
  const rule = opening.decision.rule;
  const decider = rule === 'one' && opening.decision.decider ? acts.find((a) => a.party === opening.decision.decider) : undefined;
  const sorted = [...acts].sort((a, b) => a.latency - b.latency);
  let latencyMs: number;
  let absent: boolean;
  let vetoed: boolean;
  if (acts.length === 1 || decider) {
    const a = decider ?? acts[0]!;
    latencyMs = a.latency;
    absent = a.absent;
    vetoed = a.veto;
  } else if (rule === 'majority') {
    latencyMs = sorted[Math.floor(sorted.length / 2)]!.latency;
    absent = acts.filter((a) => a.absent).length * 2 > acts.length;
    vetoed = acts.filter((a) => a.veto).length * 2 > acts.length;
  } else {
    // Consensus: the slowest sets the pace, any one absent or opposed stops it.
    latencyMs = sorted[sorted.length - 1]!.latency;
    absent = acts.some((a) => a.absent);
    vetoed = acts.some((a) => a.veto);
  }
  // Veto holders outside the owners can block a decision too.
  for (const holder of opening.decision.vetoHolders)
    if (!members.includes(holder) && random.chance(behaviour(setup, holder).veto)) vetoed = true;
  return absent ? null : { latencyMs, vetoed };
}
