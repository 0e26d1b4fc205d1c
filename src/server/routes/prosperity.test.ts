import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aReport, testNode, type TestNode } from '../../../test/factories';
import { seedFrameworks } from '../../../test/operations-fixtures';
import { evaluateTranche } from '../../core/prosperity/conditions';
import { conditionFacts, prosperityReactor } from '../../core/prosperity/reactor';
import { milestoneFacts } from '../../runtime/milestones';
import { Reactions } from '../../runtime/reactions';

let node: TestNode;
let reactions: Reactions;
let clock = new Date('2026-02-20T12:00:00Z');
const as: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  node = await testNode({ now: () => clock });
  await seedFrameworks(node.journal);
  for (const role of ['donor', 'mediator', 'monitor', 'observer', 'delegate']) as[role] = (await node.signIn(`${role}-user`)).headers;
  reactions = new Reactions(
    node.journal,
    [prosperityReactor((image) => milestoneFacts(image as never))],
    pino({ level: 'silent' }),
    () => clock,
    3_600_000,
  );
  reactions.start();
});
afterAll(async () => {
  await reactions.stop();
  await node.close();
});

const post = (who: string, url: string, payload: unknown) =>
  node.app.inject({ method: 'POST', url, headers: as[who], payload: payload as Record<string, unknown> });
const get = (who: string, url: string) => node.app.inject({ method: 'GET', url, headers: as[who] });
const tranche = (id: string) => node.journal.image.prosperity.tranches.get(id)!;

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function ok201(p: Promise<{ statusCode: number; body: string }>) {
  const r = await p;
  expect(r.statusCode, r.body).toBe(201);
  return JSON.parse(r.body) as { id: string; position: number };
}

describe('the prosperity package through the API', () => {
  it('registers actors and projects, records a rate, pledges, commits and plans conditioned tranches', async () => {
    await ok201(post('donor', '/api/v1/prosperity/actors', { id: 'eu', name: 'European Commission', kind: 'multilateral', party: 'eu' }));
    await ok201(post('donor', '/api/v1/prosperity/actors', { id: 'bsm', name: 'Black Sea Mutual', kind: 'insurer', country: 'GB' }));
    await ok201(post('mediator', '/api/v1/prosperity/actors', { id: 'ua-grid', name: 'Grid operator', kind: 'recipient', country: 'UA' }));
    await ok201(
      post('mediator', '/api/v1/prosperity/projects', {
        id: 'zp-substation',
        title: 'Substation',
        sector: 'energy',
        oblast: 'UA-23',
        recipient: 'ua-grid',
      }),
    );
    await ok201(post('donor', '/api/v1/prosperity/rates', { base: 'GBP', quote: 'EUR', rate: '1.18', on: '2026-01-02', source: 'ECB' }));
    const pledge = await ok201(
      post('donor', '/api/v1/prosperity/pledges', {
        id: 'eu-grant',
        donor: 'eu',
        instrument: 'grant',
        currency: 'EUR',
        amount: '1000000.00',
        on: '2026-01-08',
        title: 'Recovery grant',
      }),
    );
    expect(pledge.id).toBe('eu-grant');
    await ok201(
      post('donor', '/api/v1/prosperity/commitments', {
        id: 'c-1',
        pledge: 'eu-grant',
        project: 'zp-substation',
        amount: '600000.00',
        on: '2026-01-09',
      }),
    );
    await ok201(
      post('donor', '/api/v1/prosperity/tranches', {
        id: 't-first',
        commitment: 'c-1',
        label: 'first tranche',
        amount: '400000.00',
        approver: 'donor-user',
        plannedOn: '2026-02-10',
        conditions: [{ type: 'framework', condition: 'funding-first' }],
      }),
    );
    await ok201(
      post('donor', '/api/v1/prosperity/tranches', {
        id: 't-second',
        commitment: 'c-1',
        label: 'second tranche',
        amount: '200000.00',
        approver: 'donor-user',
        plannedOn: '2026-04-10',
        conditions: [{ type: 'framework', condition: 'funding-second' }],
      }),
    );
    await ok201(
      post('donor', '/api/v1/prosperity/pledges', {
        id: 'cover',
        donor: 'bsm',
        instrument: 'war-risk-insurance',
        currency: 'GBP',
        amount: '500000.00',
        on: '2026-01-09',
        title: 'Cover',
      }),
    );
    // The node journals each tranche's first evaluation.
    await until(() => tranche('t-first').recorded !== null && tranche('t-second').recorded !== null, 'first evaluations');
    expect(tranche('t-first').recorded!.releasable).toBe(true);
    expect(tranche('t-second').recorded!.releasable).toBe(false);
  });

  it('shows each condition with its status, since when and its evidence', async () => {
    const r = await get('observer', '/api/v1/prosperity/tranches/t-first');
    expect(r.statusCode, r.body).toBe(200);
    const t = r.json() as {
      stage: string;
      since: string;
      conditions: {
        source: { clauses: string[] };
        milestones: { type: string; holds: boolean; since: string; evidence: { kind: string }[] }[];
      }[];
    };
    expect(t.stage).toBe('releasable');
    // In force since 7 January (00:00 Kyiv), 30 quiet days in the buffer: since 6 February.
    expect(t.since).toBe('2026-02-05T22:00:00.000Z');
    expect(t.conditions[0]!.source.clauses).toEqual(['c-funding-first']);
    const ceasefire = t.conditions[0]!.milestones.find((m) => m.type === 'ceasefire-held')!;
    expect(ceasefire.evidence.map((e) => e.kind)).toEqual(['framework-in-force', 'quiet']);
    const second = (await get('observer', '/api/v1/prosperity/tranches/t-second')).json() as { stage: string; unlocksAt: string | null };
    expect(second.stage).toBe('locked');
    expect(second.unlocksAt).toBeNull(); // waits for an exchange, not only for time
  });

  it('refuses bad input with the field and the figures, and stores nothing', async () => {
    const head = node.journal.head;
    const refusals: [string, unknown, number, string, RegExp][] = [
      [
        '/api/v1/prosperity/pledges',
        { donor: 'eu', instrument: 'grant', currency: 'EUR', amount: '-5.00', on: '2026-01-08', title: 'x' },
        400,
        '/amount',
        /cannot be negative/,
      ],
      [
        '/api/v1/prosperity/pledges',
        { donor: 'eu', instrument: 'grant', currency: 'EUX', amount: '5.00', on: '2026-01-08', title: 'x' },
        400,
        '/currency',
        /"EUX" is not an ISO 4217 currency/,
      ],
      [
        '/api/v1/prosperity/pledges',
        { donor: 'eu', instrument: 'grant', currency: 'EUR', amount: 5.1, on: '2026-01-08', title: 'x' },
        400,
        '/amount',
        /decimal string/,
      ],
      [
        '/api/v1/prosperity/pledges',
        { donor: 'eu', instrument: 'grant', currency: 'JPY', amount: '5.5', on: '2026-01-08', title: 'x' },
        400,
        '/amount',
        /JPY has 0 digits/,
      ],
      [
        '/api/v1/prosperity/commitments',
        { pledge: 'eu-grant', project: 'zp-substation', amount: '400000.01', on: '2026-01-09' },
        422,
        '/amount',
        /400000\.00 EUR of pledge eu-grant not yet committed/,
      ],
      [
        '/api/v1/prosperity/tranches',
        {
          commitment: 'c-1',
          label: 'x',
          amount: '1.00',
          approver: 'donor-user',
          plannedOn: '2026-02-10',
          conditions: [{ type: 'exchange-completed', formula: 'exchange-nowhere', tranches: 1 }],
        },
        422,
        '/amount',
        /not yet in tranches/,
      ],
      [
        '/api/v1/prosperity/rates',
        { base: 'USD', quote: 'EUR', rate: '-1', on: '2026-01-02', source: 'x' },
        400,
        '/rate',
        /positive decimal/,
      ],
    ];
    for (const [url, body, status, pointer, message] of refusals) {
      const r = await post(
        url.includes('commitments') || url.includes('tranches') || url.includes('pledges') ? 'donor' : 'donor',
        url,
        body,
      );
      expect(r.statusCode, `${url} ${r.body}`).toBe(status);
      const problem = r.json() as { pointer: string; detail: string };
      expect(problem.pointer).toBe(pointer);
      expect(problem.detail).toMatch(message);
    }
    expect(node.journal.head).toBe(head);
  });

  it('refuses a condition naming an unknown milestone', async () => {
    await ok201(
      post('donor', '/api/v1/prosperity/commitments', {
        id: 'c-2',
        pledge: 'eu-grant',
        project: 'zp-substation',
        amount: '100000.00',
        on: '2026-01-09',
      }),
    );
    const head = node.journal.head;
    const bad = async (condition: unknown, pointer: string, message: RegExp) => {
      const r = await post('donor', '/api/v1/prosperity/tranches', {
        commitment: 'c-2',
        label: 'x',
        amount: '1.00',
        approver: 'donor-user',
        plannedOn: '2026-02-10',
        conditions: [{ type: 'framework-in-force' }, condition],
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json()).toMatchObject({ pointer });
      expect((r.json() as { detail: string }).detail).toMatch(message);
    };
    await bad(
      { type: 'exchange-completed', formula: 'exchange-nowhere', tranches: 1 },
      '/conditions/1/formula',
      /no exchange formula "exchange-nowhere"; it has: exchange-main/,
    );
    await bad({ type: 'framework', condition: 'funding-third' }, '/conditions/1/condition', /no funding condition "funding-third"/);
    await bad({ type: 'ceasefire-held', days: 30, zones: ['atlantis'], maxSeverity: 2 }, '/conditions/1/zones/0', /no zone "atlantis"/);
    await bad({ type: 'meeting-held', meeting: 'no-such-meeting' }, '/conditions/1/meeting', /no meeting "no-such-meeting"/);
    await bad({ type: 'rainbow-seen' }, '/conditions/1', /./);
    const observer = await post('donor', '/api/v1/prosperity/tranches', {
      commitment: 'c-2',
      label: 'x',
      amount: '1.00',
      approver: 'observer-user',
      plannedOn: '2026-02-10',
      conditions: [],
    });
    expect(observer.statusCode).toBe(400);
    expect((observer.json() as { detail: string }).detail).toMatch(
      /observer-user cannot release tranches \(it needs the role donor or mediator\)/,
    );
    expect(node.journal.head).toBe(head);
  });

  it('a locked tranche cannot be released; only the named approver releases a releasable one, once', async () => {
    const locked = await post('donor', '/api/v1/prosperity/tranches/t-second/release', {});
    expect(locked.statusCode).toBe(422);
    expect((locked.json() as { detail: string }).detail).toMatch(
      /cannot be released yet: waiting for: ceasefire held 90 days.*exchange tranche completed under exchange-main/,
    );
    const notApprover = await post('mediator', '/api/v1/prosperity/tranches/t-first/release', {});
    expect(notApprover.statusCode).toBe(403);
    expect((notApprover.json() as { detail: string }).detail).toMatch(/only donor-user, the tranche's named approver/);
    await ok201(post('donor', '/api/v1/prosperity/tranches/t-first/release', { note: 'conditions verified' }));
    const evaluation = tranche('t-first').release!.evaluation as {
      releasable: boolean;
      conditions: { milestones: { evidence: unknown[] }[] }[];
    };
    expect(evaluation.releasable).toBe(true);
    expect(evaluation.conditions[0]!.milestones.length).toBe(2);
    const again = await post('donor', '/api/v1/prosperity/tranches/t-first/release', {});
    expect(again.statusCode).toBe(409);
  });

  it('refuses a disbursement above what its commitment has left, and spending above what was disbursed', async () => {
    const head = node.journal.head;
    const over = await post('donor', '/api/v1/prosperity/tranches/t-first/disbursements', { amount: '400000.01', on: '2026-02-21' });
    expect(over.statusCode).toBe(422);
    expect((over.json() as { detail: string }).detail).toMatch(/above what commitment c-1 has left in tranche t-first: 400000\.00 EUR/);
    const notReleased = await post('donor', '/api/v1/prosperity/tranches/t-second/disbursements', { amount: '1.00', on: '2026-02-21' });
    expect(notReleased.statusCode).toBe(422);
    expect(node.journal.head).toBe(head);
    await ok201(post('donor', '/api/v1/prosperity/tranches/t-first/disbursements', { amount: '150000.00', on: '2026-02-21' }));
    await ok201(post('donor', '/api/v1/prosperity/tranches/t-first/disbursements', { amount: '250000.00', on: '2026-02-22' }));
    const last = await post('donor', '/api/v1/prosperity/tranches/t-first/disbursements', { amount: '0.01', on: '2026-02-23' });
    expect(last.statusCode).toBe(422);
    const spend = await post('donor', '/api/v1/prosperity/tranches/t-first/expenditures', {
      amount: '400000.01',
      on: '2026-02-25',
      description: 'transformers',
    });
    expect(spend.statusCode).toBe(422);
    await ok201(
      post('donor', '/api/v1/prosperity/tranches/t-first/expenditures', {
        amount: '100000.00',
        on: '2026-02-25',
        description: 'transformers',
      }),
    );
  });

  it('sums money by stage exactly in EUR, converting at the pledge date', async () => {
    const r = await get('observer', '/api/v1/prosperity/overview');
    expect(r.statusCode, r.body).toBe(200);
    const o = r.json() as {
      total: string;
      stages: Record<string, string>;
      byInstrument: { key: string; total: string }[];
      byOblast: { key: string; total: string }[];
    };
    // 1,000,000 EUR + 500,000 GBP × 1.18
    expect(o.total).toBe('1590000.00');
    expect(o.stages).toMatchObject({
      uncommitted: '890000.00',
      unscheduled: '100000.00',
      locked: '200000.00',
      disbursed: '300000.00',
      spent: '100000.00',
      released: '0.00',
    });
    expect(o.byInstrument.find((x) => x.key === 'war-risk-insurance')!.total).toBe('590000.00');
    expect(o.byOblast.find((x) => x.key === 'UA-23')!.total).toBe('700000.00');
  });

  it('a verified breach locks a tranche again, and time unlocks it: journaled live, with the case as evidence', async () => {
    await ok201(
      post('donor', '/api/v1/prosperity/tranches', {
        id: 't-third',
        commitment: 'c-2',
        label: 'third tranche',
        amount: '100000.00',
        approver: 'donor-user',
        plannedOn: '2026-03-01',
        conditions: [{ type: 'ceasefire-held', days: 30, zones: ['contact-line-buffer'], maxSeverity: 2 }],
      }),
    );
    await until(() => tranche('t-third').recorded?.releasable === true, 'the third tranche to be releasable');
    // A shelling in the buffer on 25 January, verified today with severity 3.
    const filed = await post('monitor', '/api/v1/reports', aReport({ occurredAt: '2026-01-25T05:40:00+02:00' }));
    expect(filed.statusCode, filed.body).toBe(201);
    const caseId = (filed.json() as { caseId: string }).caseId;
    const version = () => node.journal.image.operations.cases.get(caseId)!.version;
    await ok201(post('monitor', `/api/v1/cases/${caseId}/status`, { version: version(), to: 'under-investigation' }));
    await ok201(
      post('monitor', `/api/v1/cases/${caseId}/findings`, {
        version: version(),
        attribution: { party: null, couldNotAttribute: true, reason: 'no fragments' },
        summary: 'shelling confirmed',
        severity: 3,
      }),
    );
    await ok201(post('monitor', `/api/v1/cases/${caseId}/status`, { version: version(), to: 'verified' }));
    await until(() => tranche('t-third').recorded?.releasable === false, 'the breach to lock the tranche');
    // Whatever path the reactor took (a case verified alone re-evaluates only the tranches its breach
    // can touch), what it journaled agrees with a full evaluation of every unreleased tranche.
    const facts = conditionFacts(node.journal.image, () => milestoneFacts(node.journal.image))!;
    for (const t of node.journal.image.prosperity.tranches.values()) {
      if (!t.release)
        expect([t.id, t.recorded?.releasable]).toEqual([t.id, evaluateTranche(t.conditions, facts, clock.getTime()).releasable]);
    }
    const locked = tranche('t-third').recorded!;
    expect(locked.unlocksAt).toBe('2026-02-24T03:40:00.000Z');
    expect(JSON.stringify(locked.evidence)).toContain(caseId);
    const view = (await get('observer', '/api/v1/prosperity/tranches/t-third')).json() as {
      stage: string;
      conditions: { milestones: { evidence: { kind: string; caseId?: string; severity?: number }[]; progress: { days: number } }[] }[];
    };
    expect(view.stage).toBe('locked');
    expect(view.conditions[0]!.milestones[0]!.evidence.find((e) => e.kind === 'breach')).toMatchObject({ caseId, severity: 3 });
    expect(view.conditions[0]!.milestones[0]!.progress.days).toBe(26);
    // "What unlocks if the ceasefire holds 30 more days": the third tranche, on 24 February.
    const unlocks = (await get('observer', '/api/v1/prosperity/unlocks?days=30')).json() as {
      unlocks: { tranche: string; unlocksAt: string }[];
      total: string;
    };
    expect(unlocks.unlocks.map((u) => u.tranche)).toEqual(['t-third']);
    expect(unlocks.total).toBe('100000.00');
    // Time passes: the clock reaches the day, and the node journals the unlock by itself.
    clock = new Date('2026-02-24T04:00:00Z');
    await reactions.tick();
    await until(() => tranche('t-third').recorded?.releasable === true, 'time to unlock the tranche');
    expect(tranche('t-third').history.map((h) => h.releasable)).toEqual([true, false, true]);
  });

  it('exports IATI XML and an OCDS package to every participant', async () => {
    as.observer = (await node.signIn('observer-user')).headers;
    const xml = await get('observer', '/api/v1/prosperity/iati.xml');
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['content-type']).toMatch(/application\/xml/);
    expect(xml.body).toContain('<iati-activities version="2.03"');
    const ocds = await get('observer', '/api/v1/prosperity/ocds.json');
    expect(ocds.statusCode).toBe(200);
    expect(ocds.body).toContain('"amount": 150000.00');
    const anonymous = await node.app.inject({ method: 'GET', url: '/api/v1/prosperity/overview' });
    expect(anonymous.statusCode).toBe(401);
  });
});
