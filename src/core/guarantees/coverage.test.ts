import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFramework } from '../framework/validate';
import { checkCoverage, describeVariants, type CoverageFinding, type FindingCode } from './coverage';
import { clause, commitment, framework, LADDER } from './testing';

const EXAMPLE_PATH = join(import.meta.dirname, '../../../examples/kyiv-2026/framework.yaml');

const of = (findings: readonly CoverageFinding[], code: FindingCode) => findings.filter((f) => f.code === code);

describe('coverage: gaps', () => {
  it('finds the planted gap of the example only under alternative B of the sea clause, pointing at that alternative', () => {
    const doc = validateFramework(readFileSync(EXAMPLE_PATH, 'utf8'), EXAMPLE_PATH).document!;
    const report = checkCoverage(doc);
    const gaps = of(report.findings, 'gap');
    expect(gaps).toHaveLength(1);
    const gap = gaps[0]!;
    expect(gap.condition).toBe('under alternative B of clause c-commit-sea');
    expect(gap.message).toBe(
      'under alternative B of clause c-commit-sea: no lead responder for sea breaches drone, missile, naval in zone ' +
        'corridor-buffer (buffer zone along black-sea-corridor): no commitment covers it; commit-sea (lead tr, backup gb) covers it under ' +
        'alternative A of clause c-commit-sea',
    );
    expect(gap.clauses).toEqual(['c-commit-sea', 'c-corridor-buffer']);
    expect(gap.pointers[0]).toMatch(/\/alternatives\/1\/part$/);
    expect(gap.cells).toEqual(
      ['drone', 'missile', 'naval'].map((breachType) => ({ breachType, domain: 'sea', zone: 'corridor-buffer' })),
    );
    expect(gap.variants).toEqual(['c-commit-land A, c-commit-sea B', 'c-commit-land B, c-commit-sea B']);
    expect(report.blocking).toBe(true);
    // Alternative B also names no backup for the corridor itself.
    expect(of(report.findings, 'missing-backup').map((f) => [f.condition, f.cells[0]!.zone])).toEqual([
      ['under alternative B of clause c-commit-sea', 'black-sea-corridor'],
    ]);
    expect(of(report.findings, 'dead-end')).toEqual([]);
  });

  it('the buffer along a covered corridor is relevant; an airspace without any air commitment is not', () => {
    const report = checkCoverage(framework([clause('c-sea', commitment({ id: 'sea', zones: ['corridor'] }))]));
    const gaps = of(report.findings, 'gap');
    expect(gaps.map((g) => g.cells.map((c) => `${c.domain}/${c.zone}/${c.breachType}`))).toEqual([['sea/corridor-buffer/naval']]);
    expect(gaps[0]!.condition).toBeNull();
    expect(gaps[0]!.clauses).toEqual(['c-sea', 'c-corridor-buffer']);
    // The matrix shows the covered cell with its lead and backup, and the gap with none.
    expect(report.matrices[0]!.cells).toEqual([
      {
        breachType: 'naval',
        domain: 'sea',
        zone: 'corridor',
        leads: [{ party: 'tr', commitment: 'sea', clause: 'c-sea' }],
        backups: [{ party: 'gb', commitment: 'sea', clause: 'c-sea' }],
      },
      { breachType: 'naval', domain: 'sea', zone: 'corridor-buffer', leads: [], backups: [] },
    ]);
  });

  it('a commitment without a lead responder leaves its cells a gap, and says so', () => {
    const report = checkCoverage(
      framework([clause('c-sea', commitment({ id: 'sea', zones: ['corridor', 'corridor-buffer'], leadResponder: undefined }))]),
    );
    const gaps = of(report.findings, 'gap');
    expect(gaps).toHaveLength(2);
    expect(gaps[0]!.message).toMatch(/sea covers it but names no lead responder$/);
  });

  it('a fully covered text has no gap and does not block', () => {
    const report = checkCoverage(framework([clause('c-sea', commitment({ id: 'sea', zones: ['corridor', 'corridor-buffer'] }))]));
    expect(report.findings).toEqual([]);
    expect(report.blocking).toBe(false);
  });

  it('a commitment tied to no zone covers its domain everywhere', () => {
    const report = checkCoverage(framework([clause('c-sea', commitment({ id: 'sea', zones: [] }))]));
    expect(of(report.findings, 'gap')).toEqual([]);
    expect(report.matrices[0]!.cells.map((c) => c.zone)).toEqual(['corridor', 'corridor-buffer', null]);
  });
});

describe('coverage: the other findings', () => {
  it('overlap: two leads on one cell', () => {
    const report = checkCoverage(
      framework([
        clause('c-a', commitment({ id: 'a', zones: ['corridor', 'corridor-buffer'], leadResponder: 'tr' })),
        clause('c-b', commitment({ id: 'b', zones: ['corridor'], leadResponder: 'gb', backupResponder: 'fr' })),
      ]),
    );
    const overlaps = of(report.findings, 'overlap');
    expect(overlaps).toHaveLength(1);
    expect(overlaps[0]!.message).toBe(
      'a (lead tr) and b (lead gb) both lead on sea breaches naval in zone corridor (maritime corridor): one breach would have 2 leads',
    );
    expect(overlaps[0]!.clauses).toEqual(['c-a', 'c-b']);
    expect(overlaps[0]!.cells).toEqual([{ breachType: 'naval', domain: 'sea', zone: 'corridor' }]);
    expect(overlaps[0]!.severity).toBe('warning');
    expect(report.blocking).toBe(false);
  });

  it('veto by a party to the conflict, directly, through a coalition, or as the sole decider', () => {
    const parties = [
      { id: 'ua', name: { en: 'Ukraine' }, roles: ['party-to-conflict' as const] },
      { id: 'ru', name: { en: 'Russian Federation' }, roles: ['party-to-conflict' as const] },
      { id: 'tr', name: { en: 'Türkiye' }, roles: ['guarantor' as const] },
      { id: 'gb', name: { en: 'United Kingdom' }, roles: ['guarantor' as const] },
      { id: 'council', kind: 'coalition' as const, name: { en: 'Council' }, roles: ['guarantor' as const], members: ['tr', 'ru'] },
      { id: 'mech', kind: 'mechanism' as const, name: { en: 'Mechanism' }, roles: ['monitor' as const] },
    ];
    const report = checkCoverage(
      framework(
        [
          clause(
            'c-a',
            commitment({ id: 'a', zones: ['corridor', 'corridor-buffer'], decision: { rule: 'consensus', vetoHolders: ['ru'] } }),
          ),
          clause(
            'c-b',
            commitment({ id: 'b', domain: 'air', zones: ['air'], decision: { rule: 'majority', vetoHolders: ['council', 'gb'] } }),
          ),
          clause(
            'c-c',
            commitment({ id: 'c', domain: 'land', zones: ['line'], decision: { rule: 'one', decider: 'ua', vetoHolders: [] } }),
          ),
        ],
        { parties },
      ),
    );
    expect(of(report.findings, 'conflict-party-veto').map((f) => f.message)).toEqual([
      'a: ru (Russian Federation) holds a veto over the decision, and is a party to the conflict: it can stop the response to its own breach',
      'b: council (Council) holds a veto over the decision through its member ru, and is a party to the conflict: it can stop the response to its own breach',
      'c: ua (Ukraine) decides alone whether to respond, and is a party to the conflict: a decision not to act is a veto',
    ]);
  });

  it('dead end: a rung with a deadline and no next; a terminal rung without a deadline is not one', () => {
    const ladder = {
      kind: 'escalation-ladder' as const,
      id: 'ladder',
      rungs: [
        { id: 'consult', action: 'consult', owner: 'lead-responder', deadline: 'PT48H', next: 'respond' },
        { id: 'respond', action: 'respond', owner: 'lead-responder', deadline: 'PT72H' },
      ],
    };
    const report = checkCoverage(
      framework([clause('c-sea', commitment({ id: 'sea', zones: ['corridor', 'corridor-buffer'] }))], { ladder }),
    );
    const ends = of(report.findings, 'dead-end');
    expect(ends.map((f) => f.message)).toEqual([
      'ladder ladder: rung respond (respond) has a deadline of 72 hours but no next rung: when it passes, nothing happens (used by sea)',
    ]);
    expect(ends[0]!.clauses).toEqual(['c-ladder', 'c-sea']);
    expect(ends[0]!.pointers[0]).toMatch(/\/part\/rungs\/1$/);
    expect(ends[0]!.severity).toBe('error');
    expect(report.blocking).toBe(true);
    // The example's own ladder ends on a rung without a deadline: no dead end.
    expect(
      of(
        checkCoverage(framework([clause('c-sea', commitment({ id: 'sea', zones: ['corridor', 'corridor-buffer'] }))])).findings,
        'dead-end',
      ),
    ).toEqual([]);
  });

  it('dead end: a ladder that escalates to a ladder not in the text, and a rung owned by a responder nobody is', () => {
    const ladder = {
      kind: 'escalation-ladder' as const,
      id: 'ladder',
      escalatesTo: 'summit',
      rungs: [{ id: 'backup', action: 'respond', owner: 'backup-responder', deadline: 'PT24H' }],
    };
    const report = checkCoverage(
      framework([clause('c-sea', commitment({ id: 'sea', zones: ['corridor', 'corridor-buffer'], backupResponder: undefined }))], {
        ladder,
      }),
    );
    expect(of(report.findings, 'dead-end').map((f) => f.message)).toEqual([
      'ladder ladder: rung backup (respond) has a deadline of 24 hours but no next rung and ladder summit, which it escalates to, is not in this text: when it passes, nothing happens (used by sea)',
      'sea: rung backup of ladder ladder is owned by the backup responder, but sea names none: the ladder stalls there',
    ]);
  });

  it('unreachable trigger: a verifier that is not a monitor, a count the window cannot hold, an unknown breach type, a zone without access', () => {
    const report = checkCoverage(
      framework([
        clause('c-a', commitment({ id: 'a', zones: ['corridor', 'corridor-buffer'], evidence: { independentSources: 1, verifier: 'gb' } })),
        clause(
          'c-b',
          commitment({
            id: 'b',
            domain: 'air',
            breachTypes: ['missile'],
            zones: ['air'],
            trigger: { minSeverity: 1, count: 30, window: 'PT24H', attributionConfidence: 'low' },
          }),
        ),
        clause('c-c', commitment({ id: 'c', domain: 'land', breachTypes: ['ground-assault'], zones: ['line'] })),
      ]),
      { breachTypeVocabulary: ['naval', 'missile', 'shelling-impact'], verifierAccess: { mech: ['corridor', 'corridor-buffer', 'air'] } },
    );
    expect(of(report.findings, 'unreachable-trigger').map((f) => f.message)).toEqual([
      'a: the evidence must be verified by gb (United Kingdom), which is not a monitor of the process: no verified case will come from it',
      'b: the trigger needs 30 verified breaches within 24 hours, but at most 24 can be verified in that time (at 24 a day)',
      'c: breach type ground-assault is not among the types verified cases carry (naval, missile, shelling-impact): no case can match it',
      'c: the verifier mech has no access to zone line (contact line): a breach there cannot be verified, so it cannot trigger',
    ]);
    // 24 within a day is possible at the default rate.
    const ok = checkCoverage(
      framework([
        clause(
          'c-b',
          commitment({
            id: 'b',
            domain: 'air',
            zones: ['air'],
            trigger: { minSeverity: 1, count: 24, window: 'PT24H', attributionConfidence: 'low' },
          }),
        ),
      ]),
    );
    expect(of(ok.findings, 'unreachable-trigger')).toEqual([]);
  });

  it('circular activation: commitments activated by each other', () => {
    const report = checkCoverage(
      framework([
        clause(
          'c-a',
          commitment({ id: 'a', zones: ['corridor', 'corridor-buffer'], activation: { when: 'commitment-triggered', commitment: 'b' } }),
        ),
        clause(
          'c-b',
          commitment({ id: 'b', domain: 'air', zones: ['air'], activation: { when: 'commitment-triggered', commitment: 'a' } }),
        ),
        clause(
          'c-c',
          commitment({ id: 'c', domain: 'land', zones: ['line'], activation: { when: 'commitment-triggered', commitment: 'a' } }),
        ),
      ]),
    );
    const cycles = of(report.findings, 'circular-activation');
    expect(cycles.map((f) => f.message)).toEqual([
      "commitments a → b → a are each activated by the next one's trigger: none of them can ever activate",
    ]);
    expect(cycles[0]!.clauses).toEqual(['c-a', 'c-b']);
  });

  it('ambiguous trigger: a corridor commitment and a buffer commitment judge one case differently', () => {
    const report = checkCoverage(
      framework([
        clause('c-a', commitment({ id: 'a', zones: ['corridor'] })),
        clause(
          'c-b',
          commitment({
            id: 'b',
            zones: ['corridor-buffer'],
            trigger: { minSeverity: 4, count: 1, attributionConfidence: 'medium' },
            leadResponder: 'gb',
            backupResponder: 'tr',
          }),
        ),
      ]),
    );
    const amb = of(report.findings, 'ambiguous-trigger');
    expect(amb.map((f) => f.message)).toEqual([
      'a and b judge the same sea breaches (naval) in corridor and corridor-buffer: a verified breach of severity 2 triggers a but not b',
    ]);
    expect(of(report.findings, 'overlap')).toEqual([]);
  });

  it('ambiguous trigger: one rule, two leads, for a case in the corridor and its buffer; same zone and same rule is an overlap only', () => {
    const twoLeads = checkCoverage(
      framework([
        clause('c-a', commitment({ id: 'a', zones: ['corridor'] })),
        clause('c-b', commitment({ id: 'b', zones: ['corridor-buffer'], leadResponder: 'gb', backupResponder: 'tr' })),
      ]),
    );
    expect(of(twoLeads.findings, 'ambiguous-trigger').map((f) => f.message)).toEqual([
      'a and b judge the same sea breaches (naval) in corridor and corridor-buffer: the same evidence triggers both, with different leads (tr and gb)',
    ]);
    const sameZone = checkCoverage(
      framework([
        clause('c-a', commitment({ id: 'a', zones: ['corridor', 'corridor-buffer'] })),
        clause('c-b', commitment({ id: 'b', zones: ['corridor', 'corridor-buffer'], leadResponder: 'gb', backupResponder: 'tr' })),
      ]),
    );
    expect(of(sameZone.findings, 'ambiguous-trigger')).toEqual([]);
    expect(of(sameZone.findings, 'overlap')).toHaveLength(1);
  });
});

describe('coverage: conditions across alternatives', () => {
  it('a finding present under two alternatives of one clause and one of another names both', () => {
    const sea = (id: string, zones: string[]) => ({ id, part: commitment({ id: 'sea', zones }) });
    const report = checkCoverage(
      framework([
        clause('c-sea', undefined, [
          sea('c-sea-a', ['corridor', 'corridor-buffer']),
          sea('c-sea-b', ['corridor']),
          sea('c-sea-c', ['corridor']),
        ]),
        clause('c-air', undefined, [
          { id: 'c-air-a', part: commitment({ id: 'air', domain: 'air', breachTypes: ['missile'], zones: ['air'], ladder: 'ladder' }) },
          { id: 'c-air-b', part: commitment({ id: 'air', domain: 'air', breachTypes: ['missile'], zones: ['air'], ladder: 'gone' }) },
        ]),
      ]),
    );
    expect(report.variants.variants).toHaveLength(6);
    expect(of(report.findings, 'gap').map((f) => f.condition)).toEqual(['under alternatives B or C of clause c-sea']);
    expect(of(report.findings, 'dead-end').map((f) => f.message)).toEqual([
      'under alternative B of clause c-air: air: its ladder gone is not in this text: when it triggers, no rung opens',
    ]);
  });

  it('a finding that holds in a set of variants that is not one choice lists the variants', () => {
    const a = (id: string, lead: string) => ({
      id,
      part: commitment({ id: 'a', zones: ['corridor', 'corridor-buffer'], leadResponder: lead, backupResponder: 'fr' }),
    });
    const b = (id: string, lead: string) => ({
      id,
      part: commitment({ id: 'b', zones: ['corridor', 'corridor-buffer'], leadResponder: lead, backupResponder: 'fr' }),
    });
    const report = checkCoverage(
      framework([
        clause('c-a', undefined, [a('c-a-a', 'tr'), a('c-a-b', 'gb')]),
        clause('c-b', undefined, [b('c-b-a', 'tr'), b('c-b-b', 'gb')]),
      ]),
    );
    const different = of(report.findings, 'overlap').filter((f) => f.message.includes('both lead on'));
    expect(different.map((f) => f.condition).sort()).toEqual([
      'under alternative A of clause c-a and alternative B of clause c-b',
      'under alternative B of clause c-a and alternative A of clause c-b',
    ]);
    const same = of(report.findings, 'overlap').filter((f) => f.message.includes('both led by'));
    expect(same.map((f) => f.condition)).toEqual([
      'under alternative A of clause c-a and alternative A of clause c-b',
      'under alternative B of clause c-a and alternative B of clause c-b',
    ]);
    // "Both chose the same" is not one choice: the variants are named one by one.
    const v = report.variants;
    expect(describeVariants(v, new Set([0, 3]))).toBe('under (c-a A, c-b A) or (c-a B, c-b B)');
    expect(describeVariants(v, new Set([2, 3]))).toBe('under alternative B of clause c-a');
    expect(describeVariants(v, new Set([0, 1, 2, 3]))).toBeNull();
  });

  it('an ambiguity that only one alternative creates says so; alternatives of one clause are never compared', () => {
    const buffer = (id: string, minSeverity: number) => ({
      id,
      part: commitment({ id: 'b', zones: ['corridor-buffer'], trigger: { minSeverity, count: 1, attributionConfidence: 'medium' } }),
    });
    const report = checkCoverage(
      framework([
        clause('c-a', commitment({ id: 'a', zones: ['corridor'] })),
        clause('c-b', undefined, [buffer('c-b-a', 2), buffer('c-b-b', 4)]),
      ]),
    );
    expect(of(report.findings, 'ambiguous-trigger').map((f) => f.message)).toEqual([
      'under alternative B of clause c-b: a and b judge the same sea breaches (naval) in corridor and corridor-buffer: a verified breach of severity 2 triggers a but not b',
    ]);
  });

  it('a 1,000-commitment check stays well inside a second', () => {
    const zones = ['corridor', 'corridor-buffer'];
    const clauses = Array.from({ length: 1000 }, (_, i) =>
      clause(`c-${i}`, commitment({ id: `k-${i}`, breachTypes: [`t-${i % 10}`], zones: [zones[Math.floor(i / 10) % 2]!] })),
    );
    const t0 = performance.now();
    const report = checkCoverage(framework(clauses, { ladder: LADDER }));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(of(report.findings, 'gap')).toEqual([]);
    // 50 commitments lead on each of the 20 cells: one overlap finding per cell, not one per pair.
    const overlaps = of(report.findings, 'overlap');
    expect(overlaps).toHaveLength(20);
    expect(overlaps[0]!.message).toMatch(
      /^k-\d+, k-\d+, k-\d+, k-\d+, k-\d+, k-\d+ and 44 more all cover sea breaches t-\d in zone corridor(-buffer)? .*, all led by tr: one breach would open 50 escalations$/,
    );
  });
});
