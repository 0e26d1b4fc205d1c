import { describe, expect, it } from 'vitest';
import { resolveGuarantees, type GuaranteeText } from './commitments';
import { clause, commitment, framework } from './testing';
import { TriggerEngine, VerifiedCase, type EscalationOpening, type TriggerOutcome } from './trigger';

const AIR = commitment({
  id: 'air',
  guarantors: ['fr', 'gb'],
  domain: 'air',
  breachTypes: ['missile', 'drone'],
  zones: ['air'],
  trigger: { minSeverity: 3, count: 1, attributionConfidence: 'high' },
  evidence: { independentSources: 2, verifier: 'mech' },
  decision: { rule: 'majority', vetoHolders: [] },
  leadResponder: 'fr',
  backupResponder: 'gb',
});
const LAND = commitment({
  id: 'land',
  guarantors: ['gb', 'fr', 'de'],
  domain: 'land',
  breachTypes: ['shelling-impact'],
  zones: ['line'],
  trigger: { minSeverity: 3, count: 3, window: 'PT24H', attributionConfidence: 'medium' },
  evidence: { independentSources: 1, verifier: 'mech' },
  decision: { rule: 'majority', vetoHolders: [] },
  leadResponder: 'gb',
  backupResponder: 'fr',
});

function text(...parts: ReturnType<typeof commitment>[]): GuaranteeText {
  const r = resolveGuarantees(framework(parts.map((p, i) => clause(`c-${i}`, p))));
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

const T0 = Date.parse('2026-02-01T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();

let n = 0;
function kase(over: Partial<VerifiedCase> & { hour?: number } = {}): VerifiedCase {
  const { hour = 0, ...rest } = over;
  return {
    id: `case-${++n}`,
    occurredAt: at(hour),
    verifiedAt: at(hour + 2),
    type: 'missile',
    domain: 'air',
    zones: ['air'],
    severity: 4,
    attribution: { party: 'ru', confidence: 'high' },
    independentSources: 2,
    verifier: 'mech',
    ...rest,
  };
}
const shelling = (hour: number, over: Partial<VerifiedCase> = {}) =>
  kase({ hour, type: 'shelling-impact', domain: 'land', zones: ['line'], attribution: { party: 'ru', confidence: 'medium' }, ...over });

function openings(outcomes: readonly TriggerOutcome[]): EscalationOpening[] {
  return outcomes.flatMap((o) => (o.kind === 'opened' ? [o.opening] : []));
}

describe('trigger engine: one breach', () => {
  it('opens an escalation that says who pulls the trigger, and why', () => {
    const engine = new TriggerEngine(text(AIR));
    const c = kase({ id: 'case-air-1', hour: 10 });
    const [opening, ...rest] = openings(engine.evaluate(c));
    expect(rest).toEqual([]);
    expect(opening).toMatchObject({
      id: 'air:case-air-1',
      commitment: 'air',
      clause: 'c-0',
      against: 'ru',
      leadResponder: 'fr',
      backupResponder: 'gb',
      openedAt: '2026-02-01T12:00:00.000Z',
      evidence: [{ id: 'case-air-1', severity: 4, confidence: 'high', independentSources: 2 }],
      rule: { minSeverity: 3, count: 1, attributionConfidence: 'high', independentSources: 2, verifier: 'mech' },
      // The ladder's first rung: the mechanism verifies within 24 hours of the opening.
      firstRung: { index: 0, openedAt: '2026-02-01T12:00:00.000Z', deadline: '2026-02-02T12:00:00.000Z' },
    });
    expect(opening!.ladder.map((r) => [r.id, r.ownerParties, r.deadline])).toEqual([
      ['verify', ['mech'], 'PT24H'],
      ['consult', ['fr'], 'PT48H'],
      ['respond', ['fr'], 'PT72H'],
      ['collective', ['fr', 'gb'], null],
    ]);
    expect(opening!.explanation).toBe(
      'Commitment air (clause c-0) is triggered against Russian Federation (ru): case case-air-1 (missile, severity 4, in air, ' +
        '2026-02-01T10:00:00.000Z, attributed with high confidence, 2 independent sources, verified by mech). ' +
        'Rule: one verified breach of type drone and missile in air (air), severity 3 or more, attributed with high confidence or higher, ' +
        'on 2 independent sources, verified by mech. France (fr) pulls the trigger as lead responder, United Kingdom (gb) is the backup; ' +
        'the guarantors (fr and gb) decide by majority. First step: verify by Mechanism (mech), due 2026-02-02T12:00:00.000Z (24 hours).',
    );
  });

  it.each<[string, Partial<VerifiedCase>]>([
    ['severity below the threshold', { severity: 2 }],
    ['attribution confidence below what is required', { attribution: { party: 'ru', confidence: 'medium' } }],
    ['a case that could not be attributed', { attribution: null }],
    ['fewer independent sources than the evidence standard', { independentSources: 1 }],
    ['verified by a party other than the named verifier', { verifier: 'gb' }],
    ['outside the zones covered', { zones: ['corridor'] }],
    ['a breach type not covered', { type: 'naval' }],
    ['another domain', { domain: 'sea' }],
  ])('does not trigger on %s', (_, over) => {
    const engine = new TriggerEngine(text(AIR));
    expect(engine.evaluate(kase(over))).toEqual([]);
    // …and the same case with that one thing fixed does.
    expect(openings(engine.evaluate(kase()))).toHaveLength(1);
  });

  it('an open escalation absorbs further breaches by the same party; another party opens its own; after it ends, the next breach opens anew', () => {
    const engine = new TriggerEngine(text(AIR));
    const first = openings(engine.evaluate(kase({ id: 'a1' })))[0]!;
    expect(engine.evaluate(kase({ id: 'a2', hour: 1 }))).toEqual([{ kind: 'corroborated', caseId: 'a2', escalations: [first.id] }]);
    expect(openings(engine.evaluate(kase({ id: 'u1', hour: 1, attribution: { party: 'ua', confidence: 'high' } })))[0]).toMatchObject({
      against: 'ua',
    });
    engine.escalationEnded('air', 'ru');
    expect(openings(engine.evaluate(kase({ id: 'a3', hour: 2 })))[0]).toMatchObject({ id: 'air:a3', against: 'ru' });
  });

  it('a case in two zones is judged once per commitment', () => {
    const engine = new TriggerEngine(text(commitment({ id: 'sea', zones: ['corridor', 'corridor-buffer'] })));
    const outcomes = engine.evaluate(
      kase({ domain: 'sea', type: 'naval', zones: ['corridor', 'corridor-buffer'], attribution: { party: 'ru', confidence: 'medium' } }),
    );
    expect(openings(outcomes)).toHaveLength(1);
  });

  it('a commitment tied to no zone triggers anywhere in its domain', () => {
    const engine = new TriggerEngine(text(commitment({ id: 'cyber', domain: 'cyber', breachTypes: ['infrastructure-damage'], zones: [] })));
    const c = kase({ domain: 'cyber', type: 'infrastructure-damage', zones: [], attribution: { party: 'ru', confidence: 'medium' } });
    expect(openings(engine.evaluate(c))).toHaveLength(1);
  });
});

describe('trigger engine: count within a window', () => {
  it('three breaches by one party within 24 hours trigger, naming the three cases', () => {
    const engine = new TriggerEngine(text(LAND));
    expect(engine.evaluate(shelling(0, { id: 's1' }))).toEqual([]);
    expect(engine.evaluate(shelling(10, { id: 's2' }))).toEqual([]);
    const [opening] = openings(engine.evaluate(shelling(24, { id: 's3' })));
    expect(opening!.evidence.map((e) => e.id)).toEqual(['s1', 's2', 's3']);
    expect(opening!.rule.text).toBe(
      '3 verified breaches by the same party within 24 hours of type shelling-impact in line (land), severity 3 or more, attributed with medium confidence or higher, on 1 independent source, verified by mech',
    );
    expect(opening!.openedAt).toBe(at(26));
  });

  it('breaches spread over more than the window do not; the window slides to the three that fit', () => {
    const engine = new TriggerEngine(text(LAND));
    expect(engine.evaluateAll([shelling(0, { id: 's1' }), shelling(10, { id: 's2' }), shelling(30, { id: 's3' })])).toEqual([]);
    const [opening] = openings(engine.evaluate(shelling(33, { id: 's4' })));
    expect(opening!.evidence.map((e) => e.id)).toEqual(['s2', 's3', 's4']);
  });

  it('breaches by two parties do not add up against either', () => {
    const engine = new TriggerEngine(text(LAND));
    const ua = { attribution: { party: 'ua', confidence: 'high' as const } };
    expect(engine.evaluateAll([shelling(0), shelling(1, ua), shelling(2)])).toEqual([]);
    expect(openings(engine.evaluate(shelling(3, ua)))).toEqual([]);
    expect(openings(engine.evaluate(shelling(4)))).toMatchObject([{ against: 'ru' }]);
  });

  it('counts breaches by when they happened, not when they were verified (late verification)', () => {
    const engine = new TriggerEngine(text(LAND));
    expect(engine.evaluate(shelling(20, { id: 'late-1' }))).toEqual([]);
    expect(engine.evaluate(shelling(-2, { id: 'early', verifiedAt: at(25) }))).toEqual([]);
    const [opening] = openings(engine.evaluate(shelling(5, { id: 'mid', verifiedAt: at(40) })));
    expect(opening!.evidence.map((e) => e.id)).toEqual(['early', 'mid', 'late-1']);
    // The escalation opens when the last of its evidence was verified.
    expect(opening!.openedAt).toBe(at(40));
  });

  it('breaches that completed a trigger are used up', () => {
    const engine = new TriggerEngine(text(LAND));
    engine.evaluateAll([shelling(0), shelling(1), shelling(2)]);
    engine.escalationEnded('land', 'ru');
    expect(engine.evaluateAll([shelling(3), shelling(4)])).toEqual([]);
    expect(openings(engine.evaluate(shelling(5)))).toHaveLength(1);
  });
});

describe('trigger engine: activation and deadlines', () => {
  it('a commitment activated by the ceasefire counts only breaches while it is in force', () => {
    const engine = new TriggerEngine(
      text(commitment({ id: 'air', domain: 'air', breachTypes: ['missile'], zones: ['air'], activation: { when: 'ceasefire-in-force' } })),
    );
    expect(engine.evaluate(kase({ hour: 1 }))).toEqual([]);
    engine.setCeasefire({ from: at(10) });
    expect(engine.evaluate(kase({ hour: 9 }))).toEqual([]);
    expect(openings(engine.evaluate(kase({ hour: 11 })))).toHaveLength(1);
    engine.escalationEnded('air', 'ru');
    engine.setCeasefire({ from: at(10), until: at(20) });
    expect(engine.evaluate(kase({ hour: 21 }))).toEqual([]);
  });

  it('a commitment activated by another counts breaches from the moment that one triggered', () => {
    const backup = commitment({
      id: 'backup',
      guarantors: ['de'],
      domain: 'air',
      breachTypes: ['missile'],
      zones: ['air'],
      activation: { when: 'commitment-triggered', commitment: 'air' },
      leadResponder: 'de',
      backupResponder: 'fr',
      decision: { rule: 'one', decider: 'de', vetoHolders: [] },
    });
    const air = commitment({ id: 'air', domain: 'air', breachTypes: ['drone'], zones: ['air'] });
    const engine = new TriggerEngine(text(air, backup));
    const missile = (hour: number) => kase({ hour, attribution: { party: 'ru', confidence: 'medium' } });
    expect(engine.evaluate(missile(1))).toEqual([]);
    expect(openings(engine.evaluate(kase({ hour: 5, type: 'drone', attribution: { party: 'ru', confidence: 'medium' } })))).toMatchObject([
      { commitment: 'air' },
    ]);
    // A missile that struck before "air" triggered (at hour 7, when verified) is not under "backup".
    expect(engine.evaluate(missile(6))).toEqual([]);
    expect(openings(engine.evaluate(missile(8)))).toMatchObject([{ commitment: 'backup' }]);
  });

  it("adds the owner's constitutional delay to the rung's deadline, and says which procedure", () => {
    const c = commitment({
      id: 'land',
      guarantors: ['de', 'fr'],
      domain: 'land',
      breachTypes: ['shelling-impact'],
      zones: ['line'],
      leadResponder: 'de',
      backupResponder: 'fr',
      decision: { rule: 'consensus', vetoHolders: [] },
      ladder: {
        rungs: [
          { id: 'respond', action: 'respond', owner: 'lead-responder', deadline: 'PT48H', next: 'all' },
          { id: 'all', action: 'collective-response', owner: 'guarantors', deadline: 'PT24H', next: 'respond-again' },
          { id: 'respond-again', action: 'respond', owner: 'fr' },
        ],
      },
      constitutionalDelays: [{ party: 'de', delay: 'P7D', procedure: 'Bundestag mandate' }],
    });
    const [opening] = openings(new TriggerEngine(text(c)).evaluate(shelling(0)));
    expect(opening!.firstRung.deadline).toBe(at(2 + 48 + 7 * 24));
    expect(opening!.explanation).toMatch(
      /First step: respond by Germany \(de\), due .* \(48 hours \+ 7 days for Bundestag mandate, de\)\.$/,
    );
    // Under consensus, the guarantors' rung waits for the slowest procedure; France's own rung has none.
    expect(opening!.ladder.map((r) => r.delay)).toEqual(['P7D', 'P7D', null]);
  });

  it('VerifiedCase is a schema for the edge: severity 0–5, instants with an offset', () => {
    expect(VerifiedCase.safeParse(kase()).success).toBe(true);
    expect(VerifiedCase.safeParse({ ...kase(), severity: 6 }).success).toBe(false);
    expect(VerifiedCase.safeParse({ ...kase(), occurredAt: '2026-02-01T10:00:00' }).success).toBe(false);
  });
});
