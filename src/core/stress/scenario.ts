import { z } from 'zod';
import { canonicalize } from '../journal/canonical';
import { sha256Hex } from '../journal/chain';
import { Duration, PartyId, type Framework } from '../framework/model';
import { parseFrameworkSource, type Problem } from '../framework/parse';
import { schemaFindings } from '../framework/schema-issues';
import { Domain, ReportType, WeaponClass } from '../operations/model';
import { Amount, ConditionInput } from '../prosperity/model';
import { checkCurrency, parseAmount } from '../prosperity/money';
import { checkConditions } from '../prosperity/conditions';
import type { MilestoneFacts } from '../milestones';
import { nominalMs } from '../guarantees/duration';

/**
 * A stress scenario: how a ceasefire might go wrong, as data. Base breach rates per zone, type and
 * domain; reheating (a breach raises the other side's rates for a while); third-party provocations;
 * false claims and sensor noise; monitors who are slow, wrong or kept out; guarantors who are slow,
 * absent or veto; constitutional procedures that take longer than the text allows; and, optionally,
 * a historical replay (UCDP GED events placed on the scenario's calendar).
 *
 * Read from YAML with positions: every problem is `line:col: message`, like the framework's.
 */

export const SCENARIO_FORMAT = 'entente.stress-scenario/1' as const;
/** A scenario is a page of YAML; a limit keeps a hostile upload cheap to refuse. */
export const MAX_SCENARIO_BYTES = 256 * 1024;
export const MAX_DAYS = 3650;

const Probability = z.number().min(0, 'a probability is between 0 and 1').max(1, 'a probability is between 0 and 1');
const Rate = z.number().min(0, 'a rate per day cannot be negative').max(10_000, 'at most 10,000 a day');
const Severity = z.number().int().min(0).max(5);

/** A latency as the simulator draws it: lognormal with this median and 90th percentile. */
export const Latency = z
  .strictObject({ median: Duration, p90: Duration })
  .describe('a lognormal delay: half are faster than the median, nine in ten faster than p90');
export type Latency = z.infer<typeof Latency>;

/** Severity weights, e.g. {2: 0.5, 3: 0.4, 4: 0.1}. */
const SeverityWeights = z
  .record(z.string().regex(/^[0-5]$/, 'severity keys are 0 to 5'), z.number().min(0))
  .refine((w) => Object.values(w).some((x) => x > 0), 'give at least one severity a positive weight');

export const BreachRate = z.strictObject({
  /** A zone id of the framework. */
  zone: z.string().min(1).max(64),
  domain: Domain,
  type: ReportType,
  /** The party whose forces breach. */
  by: PartyId,
  perDay: Rate,
  severity: SeverityWeights.default({ '2': 0.4, '3': 0.45, '4': 0.15 }),
  weaponClass: WeaponClass.optional(),
});
export type BreachRate = z.infer<typeof BreachRate>;

export const Reheating = z.strictObject({
  /** Each breach multiplies the other side's rates by this factor… */
  factor: z.number().min(1).max(10),
  /** …for this long… */
  lasts: Duration,
  /** …up to this multiple of the base rate. */
  max: z.number().min(1).max(100).default(4),
});

export const Provocation = z.strictObject({
  zone: z.string().min(1).max(64),
  domain: Domain,
  type: ReportType,
  perDay: Rate,
  /** The party the provocation is staged to look like. */
  blamed: PartyId,
  /** How often the monitors see through it (attribute it to nobody). */
  detected: Probability.default(0.5),
  severity: SeverityWeights.default({ '3': 1 }),
});

export const FalseClaim = z.strictObject({
  by: PartyId,
  against: PartyId,
  zone: z.string().min(1).max(64),
  domain: Domain,
  type: ReportType,
  perDay: Rate,
  /** How often the monitors wrongly verify a claim that has nothing behind it. */
  verifiedWrongly: Probability.default(0.05),
});

export const Noise = z.strictObject({
  /** Standard deviation of a report's position error, in metres. */
  location_m: z.number().min(0).max(50_000).default(300),
  /** Sensor reports of nothing, a day, in the zones of the base rates. */
  falseReportsPerDay: Rate.default(0),
  /** How often the monitors verify such a phantom and attribute it. */
  verifiedWrongly: Probability.default(0.02),
});

export const AccessDenial = z.strictObject({ zone: z.string().min(1).max(64), probability: Probability });

export const Monitors = z.strictObject({
  /** The party that verifies (the framework's verifier, e.g. the mechanism). */
  party: PartyId,
  /** How many observations an incident gets, on average (1 at least). */
  sources: z.number().min(1).max(10).default(2.2),
  /** How often the parties also file a claim about an incident. */
  claims: Probability.default(0.5),
  verification: Latency.default({ median: 'PT18H', p90: 'PT60H' }),
  /** How often an incident seen by the monitors is verified at all (the rest stay not verified). */
  verifies: Probability.default(0.85),
  /** How often a verified breach is attributed to the right party (otherwise: could not be attributed). */
  attributes: Probability.default(0.9),
  confidence: z
    .strictObject({ low: z.number().min(0), medium: z.number().min(0), high: z.number().min(0) })
    .default({ low: 0.1, medium: 0.4, high: 0.5 }),
  deniedAccess: z.array(AccessDenial).max(100).default([]),
  /** How long the mechanism takes on its own rungs of a ladder (verify and attribute). */
  rungLatency: Latency.default({ median: 'PT6H', p90: 'PT20H' }),
});

export const GuarantorBehaviour = z.strictObject({
  latency: Latency.default({ median: 'PT12H', p90: 'PT48H' }),
  /** How often the party does not act on a rung at all (it is missed at its deadline). */
  absence: Probability.default(0.05),
  /** How often the party, deciding or holding a veto, blocks action. */
  veto: Probability.default(0),
});
export type GuarantorBehaviour = z.infer<typeof GuarantorBehaviour>;

export const ConstitutionalDelay = z.strictObject({
  party: PartyId,
  /** Extra time the procedure takes beyond what the text allows for it. */
  extra: Duration,
  probability: Probability.default(1),
  procedure: z.string().max(200).default('parliamentary procedure'),
});

export const Replay = z.strictObject({
  /** A UCDP GED CSV (the runtime reads it relative to the scenario file). */
  ucdp: z.string().min(1).max(500),
  /** The historical window replayed from the scenario's start: [from, to). */
  from: z.iso.date('a date, e.g. 2015-02-15'),
  to: z.iso.date('a date, e.g. 2015-05-15'),
  /** Who the events are attributed to, as weights (the data names sides, not the framework's parties). */
  attribution: z.record(PartyId, z.number().min(0)).refine((w) => Object.values(w).some((x) => x > 0), 'give one party a positive weight'),
  /** The report type the events are treated as (UCDP records deaths, not weapons: its events import as `other`). */
  type: ReportType.optional(),
  /** Severity of a replayed event without deaths; with deaths it is 4. */
  severity: Severity.default(3),
});

/** A tranche whose release the stress test follows: the prosperity module's conditions, an exact amount. */
export const MoneyTranche = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'a tranche id is lower-case letters, digits and dashes'),
  label: z.string().min(1).max(200),
  /** An ISO 4217 code the prosperity module knows. */
  currency: z.string().max(8),
  /** A decimal string, as prosperity keeps amounts ("25000000.00"), never a number. */
  amount: Amount,
  /** A framework funding condition by id (`{type: framework, condition: funding-first}`) or milestones. */
  conditions: z.array(ConditionInput).min(1, 'a tranche needs at least one condition').max(20),
});

/** Milestones the stress test does not simulate, placed on the scenario's clock (delays after the start). */
export const AssumedMilestones = z.strictObject({
  /** Exchange formula → when each of its tranches is completed. */
  exchanges: z.record(z.string().min(1).max(64), z.array(Duration).max(50)).default({}),
  /** Meeting → when it is held. */
  meetings: z.record(z.string().min(1).max(64), Duration).default({}),
  /** Attestations by a party, as an `attested` milestone names them. */
  attestations: z
    .array(z.strictObject({ by: PartyId, what: z.string().min(1).max(500), after: Duration }))
    .max(50)
    .default([]),
});

export const MoneyPlan = z.strictObject({
  tranches: z.array(MoneyTranche).min(1, 'name at least one tranche').max(200),
  assume: AssumedMilestones.default({ exchanges: {}, meetings: {}, attestations: [] }),
});
export type MoneyPlan = z.infer<typeof MoneyPlan>;

export const Scenario = z.strictObject({
  format: z.literal(SCENARIO_FORMAT, `the first line says format: ${SCENARIO_FORMAT}`),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a scenario id is lower-case letters, digits and dashes'),
  title: z.string().min(1).max(200),
  description: z.string().max(4000).default(''),
  /** Where the virtual clock starts (the framework's ceasefire is taken to be in force from here). */
  start: z.iso.datetime({ offset: true, message: 'an ISO 8601 instant, e.g. 2026-02-01T00:00:00Z' }),
  days: z.number().int().min(1).max(MAX_DAYS, `at most ${MAX_DAYS} days`),
  breaches: z.array(BreachRate).max(200).default([]),
  reheating: Reheating.nullable().default(null),
  provocations: z.array(Provocation).max(50).default([]),
  falseClaims: z.array(FalseClaim).max(50).default([]),
  noise: Noise.default({ location_m: 300, falseReportsPerDay: 0, verifiedWrongly: 0.02 }),
  monitors: Monitors,
  guarantors: z
    .strictObject({
      default: GuarantorBehaviour.default(GuarantorBehaviour.parse({})),
      parties: z.record(PartyId, GuarantorBehaviour).default({}),
    })
    .default({ default: GuarantorBehaviour.parse({}), parties: {} }),
  constitutionalDelays: z.array(ConstitutionalDelay).max(50).default([]),
  /** A day counts as held when no breach above this severity happened. */
  heldMaxSeverity: Severity.default(2),
  replay: Replay.nullable().default(null),
  /** Tranches whose unlocking each run follows (null: money is not followed). */
  money: MoneyPlan.nullable().default(null),
});
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;

export interface ScenarioProblem {
  readonly line: number;
  readonly col: number;
  readonly pointer: string;
  readonly message: string;
}

export type ScenarioReading =
  { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly problems: readonly ScenarioProblem[] };

/** Reads a scenario from YAML (or JSON, by file name): positioned problems, never a throw. */
export function parseScenario(text: string, fileName = 'scenario.yaml'): ScenarioReading {
  if (text.length > MAX_SCENARIO_BYTES)
    return { ok: false, problems: [{ line: 1, col: 1, pointer: '', message: `a scenario is at most ${MAX_SCENARIO_BYTES / 1024} KB` }] };
  const source = parseFrameworkSource(text, fileName);
  const errors = source.problems.filter((p: Problem) => p.severity === 'error');
  if (errors.length)
    return { ok: false, problems: errors.map((p) => ({ line: p.line, col: p.col, pointer: p.pointer, message: p.message })) };
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value))
    return {
      ok: false,
      problems: [{ line: 1, col: 1, pointer: '', message: 'a scenario is a mapping of fields (format, id, title, start, days, …)' }],
    };
  // reportInput: a wrong value is then told apart from a missing one (a number where a decimal string belongs).
  const parsed = Scenario.safeParse(source.value, { reportInput: true });
  if (!parsed.success) {
    const problems = schemaFindings(parsed.error.issues, source.value).map((f) => ({
      ...source.locate(f.pointer, f.at),
      pointer: f.pointer,
      message: f.message,
    }));
    return { ok: false, problems: sortProblems(problems) };
  }
  const scenario = parsed.data;
  const order: ScenarioProblem[] = [];
  if (scenario.replay && scenario.replay.from >= scenario.replay.to)
    order.push({
      ...source.locate('/replay/to'),
      pointer: '/replay/to',
      message: `the replay ends (${scenario.replay.to}) before it starts (${scenario.replay.from})`,
    });
  scenario.money?.tranches.forEach((t, i) => {
    const at = `/money/tranches/${i}`;
    const currency = checkCurrency(t.currency, `${at}/currency`);
    const amount = currency.ok ? parseAmount(t.amount, currency.value, `${at}/amount`) : currency;
    if (!amount.ok) {
      const pointer = amount.pointer ?? at;
      order.push({ ...source.locate(pointer), pointer, message: amount.message.replace(`${pointer}: `, '') });
    }
  });
  if (order.length) return { ok: false, problems: order };
  return { ok: true, scenario };
}

/**
 * Checks a scenario against the framework it will run on: every zone and party it names must exist
 * there. `locate` turns a pointer into a position when the scenario came from a file.
 */
export function checkScenarioAgainst(
  scenario: Scenario,
  doc: Framework,
  locate: (pointer: string) => { line: number; col: number } = () => ({ line: 1, col: 1 }),
): ScenarioProblem[] {
  const zones = new Set<string>();
  const parties = new Set(doc.parties.map((p) => p.id));
  for (const ch of doc.chapters)
    for (const a of ch.articles)
      for (const c of a.clauses) {
        if (c.part?.kind === 'zone') zones.add(c.part.id);
        for (const alt of c.alternatives) if (alt.part?.kind === 'zone') zones.add(alt.part.id);
      }
  const problems: ScenarioProblem[] = [];
  const zone = (pointer: string, id: string) => {
    if (!zones.has(id))
      problems.push({
        ...locate(pointer),
        pointer,
        message: `zone "${id}" is not in the framework; its zones are ${[...zones].sort().join(', ')}`,
      });
  };
  const party = (pointer: string, id: string) => {
    if (!parties.has(id))
      problems.push({
        ...locate(pointer),
        pointer,
        message: `party "${id}" is not in the framework; its parties are ${[...parties].sort().join(', ')}`,
      });
  };
  scenario.breaches.forEach((b, i) => (zone(`/breaches/${i}/zone`, b.zone), party(`/breaches/${i}/by`, b.by)));
  scenario.provocations.forEach((p, i) => (zone(`/provocations/${i}/zone`, p.zone), party(`/provocations/${i}/blamed`, p.blamed)));
  scenario.falseClaims.forEach((f, i) => {
    zone(`/falseClaims/${i}/zone`, f.zone);
    party(`/falseClaims/${i}/by`, f.by);
    party(`/falseClaims/${i}/against`, f.against);
  });
  scenario.monitors.deniedAccess.forEach((d, i) => zone(`/monitors/deniedAccess/${i}/zone`, d.zone));
  party('/monitors/party', scenario.monitors.party);
  for (const p of Object.keys(scenario.guarantors.parties)) party(`/guarantors/parties/${p}`, p);
  scenario.constitutionalDelays.forEach((d, i) => party(`/constitutionalDelays/${i}/party`, d.party));
  for (const p of Object.keys(scenario.replay?.attribution ?? {})) party(`/replay/attribution/${p}`, p);
  scenario.money?.tranches.forEach((t, i) => {
    // The prosperity module's own check: a funding condition, zone, formula, meeting or party the text lacks.
    const base = `/money/tranches/${i}/conditions`;
    const checked = checkConditions(t.conditions, { document: doc, parties, milestones: assumedFacts(scenario) }, base);
    if (!checked.ok) {
      const pointer = checked.pointer ?? base;
      problems.push({ ...locate(pointer), pointer, message: checked.message.replace(`${pointer}: `, '') });
    }
  });
  scenario.money?.assume.attestations.forEach((a, i) => party(`/money/assume/attestations/${i}/by`, a.by));
  return sortProblems(problems);
}

/** Reads a scenario and checks it against a framework in one step, with positions for both. */
export function readScenarioFor(text: string, fileName: string, doc: Framework): ScenarioReading {
  const read = parseScenario(text, fileName);
  if (!read.ok) return read;
  const source = parseFrameworkSource(text, fileName);
  const problems = checkScenarioAgainst(read.scenario, doc, (p) => source.locate(p));
  return problems.length ? { ok: false, problems } : read;
}

/** A scenario's identity in results: SHA-256 of its canonical JSON (formatting and comments do not change it). */
export function scenarioHash(scenario: Scenario): string {
  return sha256Hex(canonicalize(scenario));
}

export function formatProblems(fileName: string, problems: readonly ScenarioProblem[]): string {
  return problems.map((p) => `${fileName}:${p.line}:${p.col}: error: ${p.message}`).join('\n');
}

function sortProblems(problems: ScenarioProblem[]): ScenarioProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}

/**
 * The milestones a scenario assumes (exchanges completed, meetings held) as the facts the prosperity
 * conditions read, on the scenario's clock.
 */
export function assumedFacts(scenario: Scenario): MilestoneFacts {
  const start = Date.parse(scenario.start);
  const at = (d: string) => new Date(start + nominalMs(d)).toISOString();
  const assume = scenario.money?.assume;
  const exchanges = new Map(
    Object.entries(assume?.exchanges ?? {}).map(([formula, after]) => [
      formula,
      after.map(at).sort((a, b) => Date.parse(a) - Date.parse(b)),
    ]),
  );
  const meetings = new Map(Object.entries(assume?.meetings ?? {}).map(([meeting, after]) => [meeting, at(after)]));
  return {
    meetingHeld: (meeting) => meetings.get(meeting) ?? null,
    exchangeTranchesCompleted: (formula) => exchanges.get(formula) ?? [],
  };
}
