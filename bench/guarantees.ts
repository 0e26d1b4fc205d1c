/**
 * `npm run bench -- guarantees`: the pure core of the guarantees module.
 * - Trigger engine: 1,000 commitments in force, generated verified cases (target ≥ 100,000 cases/s on
 *   one core), beside a naive scan of every commitment for every case (what the index saves), and beside
 *   the worst case where every trigger opens an escalation and writes its explanation.
 * - Coverage check of 1,000 commitments × 30 zones (target ≤ 1 s), for the agreed text and for the
 *   same text with three bracketed commitments (8 variants).
 * Medians of several runs, wall clock and CPU time of this process (the machine is shared: when other
 * work competes for the cores, wall clock grows and CPU time does not; the load average is printed).
 */
import { availableParallelism, loadavg } from 'node:os';
import { Framework, type FrameworkInput } from '../src/core/framework/model';
import { resolveGuarantees, type ResolvedCommitment } from '../src/core/guarantees/commitments';
import { checkCoverage } from '../src/core/guarantees/coverage';
import { TriggerEngine, type VerifiedCase } from '../src/core/guarantees/trigger';
import { median, rng, table } from './lib';

const COMMITMENTS = 1000;
const CASES = 200_000;
const RUNS = 5;
/** The worst case opens an escalation for most cases: fewer cases keep the run short. */
const CHURN_CASES = 20_000;

const DOMAIN_TYPES = {
  air: ['missile', 'drone', 'air-incursion'],
  land: ['shelling-impact', 'small-arms', 'airburst', 'weapon-beyond-withdrawal-line'],
  sea: ['naval', 'missile', 'drone'],
  cyber: ['infrastructure-damage'],
} as const;
type Domain = keyof typeof DOMAIN_TYPES;
const GUARANTORS = ['us', 'gb', 'fr', 'de', 'tr', 'pl'];

interface Generated {
  doc: Framework;
  zonesOf: Record<Domain, string[]>;
}

/** 30 zones (6 airspaces, 6 corridors and their buffers, 6 contact lines and their buffers) and N commitments. */
export function generate(commitments = COMMITMENTS, bracketed = 0, seed = 7): Generated {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const t = (s: string) => ({ en: s });
  type ClauseInput = FrameworkInput['chapters'][number]['articles'][number]['clauses'][number];
  const zoneClauses: ClauseInput[] = [];
  const zonesOf: Record<Domain, string[]> = { air: [], land: [], sea: [], cyber: [] };
  const square = (x: number, y: number): [number, number][] => [
    [x, y],
    [x + 0.5, y],
    [x + 0.5, y + 0.5],
    [x, y + 0.5],
    [x, y],
  ];
  for (let i = 0; i < 6; i++) {
    const [x, y] = [23 + i, 46 + (i % 3)];
    zoneClauses.push({
      id: `c-air-${i}`,
      status: 'agreed',
      text: t('air'),
      part: { kind: 'zone', type: 'airspace-area', id: `air-${i}`, geometry: { type: 'Polygon', coordinates: [square(x, y)] } },
    });
    zoneClauses.push({
      id: `c-sea-${i}`,
      status: 'agreed',
      text: t('sea'),
      part: {
        kind: 'zone',
        type: 'maritime-corridor',
        id: `sea-${i}`,
        buffer_m: 9000,
        geometry: {
          type: 'LineString',
          coordinates: [
            [x, 44],
            [x + 0.4, 43],
          ],
        },
      },
    });
    zoneClauses.push({
      id: `c-sea-buf-${i}`,
      status: 'agreed',
      text: t('buffer'),
      part: {
        kind: 'zone',
        type: 'buffer-zone',
        id: `sea-buf-${i}`,
        width_m: 12000,
        along: `sea-${i}`,
        geometry: { type: 'Polygon', coordinates: [square(x, 43)] },
      },
    });
    zoneClauses.push({
      id: `c-line-${i}`,
      status: 'agreed',
      text: t('line'),
      part: {
        kind: 'zone',
        type: 'contact-line',
        id: `line-${i}`,
        geometry: {
          type: 'LineString',
          coordinates: [
            [35 + i * 0.3, 47],
            [35.2 + i * 0.3, 48],
          ],
        },
      },
    });
    zoneClauses.push({
      id: `c-line-buf-${i}`,
      status: 'agreed',
      text: t('buffer'),
      part: {
        kind: 'zone',
        type: 'buffer-zone',
        id: `line-buf-${i}`,
        width_m: 15000,
        along: `line-${i}`,
        geometry: { type: 'Polygon', coordinates: [square(35 + i * 0.3, 47)] },
      },
    });
    zonesOf.air.push(`air-${i}`);
    zonesOf.sea.push(`sea-${i}`, `sea-buf-${i}`);
    zonesOf.land.push(`line-${i}`, `line-buf-${i}`);
  }
  const ladder: ClauseInput = {
    id: 'c-ladder',
    status: 'agreed',
    text: t('ladder'),
    part: {
      kind: 'escalation-ladder',
      id: 'ladder',
      rungs: [
        { id: 'verify', action: 'verify', owner: 'mech', deadline: 'PT24H', next: 'consult' },
        { id: 'consult', action: 'consult', owner: 'lead-responder', deadline: 'PT48H', next: 'respond' },
        { id: 'respond', action: 'respond', owner: 'lead-responder', deadline: 'PT72H', next: 'collective' },
        { id: 'collective', action: 'collective-response', owner: 'guarantors' },
      ],
    },
  };
  const domains: Domain[] = ['air', 'land', 'sea', 'land', 'sea', 'air', 'land', 'cyber'];
  const commitment = (i: number, variant = 0) => {
    const domain = domains[i % domains.length]!;
    const types = [...new Set([pick(DOMAIN_TYPES[domain]), pick(DOMAIN_TYPES[domain])])];
    const zones = domain === 'cyber' ? [] : [...new Set([pick(zonesOf[domain]), pick(zonesOf[domain])])];
    const lead = pick(GUARANTORS);
    const count = r() < 0.3 ? 3 : 1;
    return {
      kind: 'commitment' as const,
      id: `k-${i}`,
      guarantors: [lead, pick(GUARANTORS)],
      domain,
      breachTypes: types,
      zones,
      activation: { when: r() < 0.5 ? ('ceasefire-in-force' as const) : ('framework-in-force' as const) },
      trigger: {
        minSeverity: 1 + Math.floor(r() * 4),
        count,
        ...(count > 1 ? { window: 'PT24H' } : {}),
        attributionConfidence: pick(['low', 'medium', 'high'] as const),
      },
      evidence: { independentSources: 1 + Math.floor(r() * 2), verifier: 'mech' },
      decision: { rule: 'majority' as const },
      leadResponder: variant === 1 ? pick(GUARANTORS) : lead,
      ...(variant === 1 ? {} : { backupResponder: pick(GUARANTORS.filter((g) => g !== lead)) }),
      ladder: 'ladder',
      constitutionalDelays: lead === 'de' ? [{ party: 'de', delay: 'P7D', procedure: 'Bundestag mandate' }] : [],
    };
  };
  const clauses: ClauseInput[] = [];
  for (let i = 0; i < commitments; i++) {
    if (i < bracketed) {
      clauses.push({
        id: `c-k-${i}`,
        status: 'bracketed',
        text: t('k'),
        alternatives: [
          { id: `c-k-${i}-a`, proposedBy: ['gb'], text: t('a'), part: commitment(i) },
          { id: `c-k-${i}-b`, proposedBy: ['us'], text: t('b'), part: commitment(i, 1) },
        ],
      });
    } else clauses.push({ id: `c-k-${i}`, status: 'agreed', text: t('k'), part: commitment(i) });
  }
  const input: FrameworkInput = {
    format: 'entente.framework/1',
    process: { id: 'bench', title: t('Bench'), languages: ['en'] },
    parties: [
      { id: 'ua', name: t('Ukraine'), roles: ['party-to-conflict'] },
      { id: 'ru', name: t('Russia'), roles: ['party-to-conflict'] },
      ...GUARANTORS.map((id) => ({ id, name: t(id), roles: ['guarantor' as const] })),
      { id: 'mech', kind: 'mechanism' as const, name: t('Mechanism'), roles: ['monitor' as const] },
    ],
    chapters: [
      {
        id: 'ch',
        title: t('Guarantees'),
        articles: [
          { id: 'art-zones', title: t('Zones'), clauses: zoneClauses },
          { id: 'art-ladder', title: t('Ladder'), clauses: [ladder] },
          { id: 'art-commitments', title: t('Commitments'), clauses },
        ],
      },
    ],
  };
  return { doc: Framework.parse(input), zonesOf };
}

export function generateCases(n: number, zonesOf: Record<Domain, string[]>, seed = 11): VerifiedCase[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const start = Date.parse('2026-02-01T00:00:00Z');
  const out: VerifiedCase[] = [];
  for (let i = 0; i < n; i++) {
    const domain = pick(['air', 'land', 'sea', 'land', 'cyber'] as const);
    // About 2,000 cases a day: a hot ceasefire, verified within hours.
    const occurred = start + i * 43_000 + Math.floor(r() * 20_000);
    out.push({
      id: `case-${i}`,
      occurredAt: new Date(occurred).toISOString(),
      verifiedAt: new Date(occurred + 3_600_000 + Math.floor(r() * 7_200_000)).toISOString(),
      type: pick(DOMAIN_TYPES[domain]),
      domain,
      zones: domain === 'cyber' ? [] : r() < 0.3 ? [pick(zonesOf[domain]), pick(zonesOf[domain])] : [pick(zonesOf[domain])],
      severity: Math.floor(r() * 6),
      attribution: r() < 0.15 ? null : { party: r() < 0.5 ? 'ru' : 'ua', confidence: pick(['low', 'medium', 'high'] as const) },
      independentSources: Math.floor(r() * 4),
      verifier: r() < 0.95 ? 'mech' : 'gb',
    });
  }
  return out;
}

/** What the index saves: every commitment checked for every case (thresholds only, no windows). */
function naiveScan(commitments: readonly ResolvedCommitment[], cases: readonly VerifiedCase[]): number {
  const rank = { low: 1, medium: 2, high: 3 } as const;
  let matches = 0;
  for (const k of cases) {
    if (!k.attribution) continue;
    for (const c of commitments) {
      if (c.domain !== k.domain || !c.breachTypes.includes(k.type)) continue;
      if (c.zones.length && !k.zones.some((z) => c.zones.includes(z))) continue;
      if (k.severity < c.trigger.minSeverity || rank[k.attribution.confidence] < rank[c.trigger.attributionConfidence]) continue;
      if (k.independentSources < c.evidence.independentSources || k.verifier !== c.evidence.verifier) continue;
      matches++;
    }
  }
  return matches;
}

/** Wall-clock and CPU-time medians (CPU counts every thread of the process, GC helpers included). */
function measure(fn: () => void, runs: number): { wall: number; cpu: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

export async function run(): Promise<void> {
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores`,
  );
  const { doc, zonesOf } = generate();
  const text = resolveGuarantees(doc);
  if (!text.ok) throw new Error(text.message);
  const cases = generateCases(CASES, zonesOf);
  const ceasefire = { from: '2026-01-01T00:00:00Z' };

  let opened = 0;
  let corroborated = 0;
  const engine = measure(() => {
    const e = new TriggerEngine(text.value, { ceasefire });
    opened = 0;
    corroborated = 0;
    for (const c of cases)
      for (const o of e.evaluate(c)) {
        if (o.kind === 'opened') opened++;
        else corroborated += o.escalations.length;
      }
  }, RUNS);
  let churnOpened = 0;
  const churnCases = cases.slice(0, CHURN_CASES);
  const churn = measure(() => {
    const e = new TriggerEngine(text.value, { ceasefire });
    churnOpened = 0;
    for (const c of churnCases)
      for (const o of e.evaluate(c))
        if (o.kind === 'opened') {
          churnOpened++;
          // Worst case: every escalation ends at once, so the next breach opens a new one with its explanation.
          e.escalationEnded(o.opening.commitment, o.opening.against);
        }
  }, RUNS);
  let naiveMatches = 0;
  const naive = measure(() => (naiveMatches = naiveScan(text.value.commitments, cases)), 3);
  const rate = (ms: number, n = CASES) => Math.round(n / (ms / 1000));
  table(
    `Trigger engine: ${COMMITMENTS.toLocaleString('en-US')} commitments in force, ${CASES.toLocaleString('en-US')} verified cases (median of ${RUNS})`,
    ['run', 'cases', 'wall ms', 'CPU ms', 'cases/s (wall)', 'cases/s (CPU)', 'target', 'outcomes'],
    [
      [
        'indexed engine (windows, one escalation per commitment and party)',
        CASES,
        engine.wall,
        engine.cpu,
        rate(engine.wall),
        rate(engine.cpu),
        '≥ 100,000',
        `${opened} opened, ${corroborated.toLocaleString('en-US')} corroborations`,
      ],
      [
        'indexed engine, every escalation ends at once (worst case: an explanation per trigger)',
        CHURN_CASES,
        churn.wall,
        churn.cpu,
        rate(churn.wall, CHURN_CASES),
        rate(churn.cpu, CHURN_CASES),
        '—',
        `${churnOpened.toLocaleString('en-US')} opened, ${rate(churn.wall, churnOpened).toLocaleString('en-US')} openings/s`,
      ],
      [
        'naive scan of every commitment per case (thresholds only, no windows)',
        CASES,
        naive.wall,
        naive.cpu,
        rate(naive.wall),
        rate(naive.cpu),
        '—',
        `${naiveMatches.toLocaleString('en-US')} matches`,
      ],
    ],
  );

  const rows: (string | number)[][] = [];
  for (const bracketed of [0, 3]) {
    const g = bracketed ? generate(COMMITMENTS, bracketed) : { doc, zonesOf };
    let findings = '';
    let variants = 0;
    const t = measure(() => {
      const report = checkCoverage(g.doc);
      variants = report.variants.variants.length;
      const by = new Map<string, number>();
      for (const f of report.findings) by.set(f.code, (by.get(f.code) ?? 0) + 1);
      findings = [...by].map(([k, v]) => `${v} ${k}`).join(', ');
    }, RUNS);
    rows.push([
      `${COMMITMENTS.toLocaleString('en-US')} commitments × 30 zones, ${bracketed} bracketed`,
      variants,
      t.wall,
      t.cpu,
      Math.round(t.wall / variants),
      '≤ 1,000',
      findings,
    ]);
  }
  table(
    `Coverage check (median of ${RUNS})`,
    ['text', 'variants', 'wall ms', 'CPU ms', 'wall ms per variant', 'target ms', 'findings'],
    rows,
  );
}
