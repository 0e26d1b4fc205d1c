import { readFileSync } from 'node:fs';
import pg from 'pg';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './factories';
import { EXAMPLE_FRAMEWORK, seedDemo } from '../src/runtime/demo';
import { Journal } from '../src/runtime/journal';
import { Reactions } from '../src/runtime/reactions';
import { REACTORS } from '../src/runtime/reactors';
import type { JournalStore } from '../src/store/contract';
import { openStore } from '../src/store/open';
import type { Result } from '../src/core/errors';
import { validateFramework } from '../src/core/framework/validate';
import { recordForce, recordVersion, requiredSignatories, signVersion } from '../src/core/framework/versions';
import type { EventDraft, JournalEvent } from '../src/core/journal/envelope';
import type { Escalation } from '../src/core/guarantees/ladder';
import type { Framework } from '../src/core/framework/model';
import { checkCoverage } from '../src/core/guarantees/coverage';

/**
 * The security guarantees, live: a verified, attributed case opens the escalation of the commitment in
 * force when it happened, and the clock moves a missed rung on by itself — exactly once, across two
 * nodes on one store (SQLite, or PostgreSQL with ENTENTE_TEST_PG) and across a restart.
 */

const PG = process.env.ENTENTE_TEST_PG ?? '';
const log = pino({ level: 'silent' });
const HOUR = 3_600_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A clock the test moves; every journal and reaction reads it. */
const clock = { t: new Date('2026-01-10T08:00:00Z') };
const now = () => clock.t;

async function append(journal: Journal, drafts: Result<EventDraft[]>, actor = 'test', party: string | null = null): Promise<void> {
  if (!drafts.ok) throw new Error(drafts.message);
  const r = await journal.append({ drafts: drafts.value, actor, party });
  if (!r.ok) throw new Error(r.message);
}

function exampleFramework(amend: (doc: Framework) => void = () => {}): Framework {
  const doc = validateFramework(readFileSync(EXAMPLE_FRAMEWORK, 'utf8'), EXAMPLE_FRAMEWORK).document!;
  amend(doc);
  return doc;
}

async function seedFramework(journal: Journal, amend?: (doc: Framework) => void): Promise<void> {
  const doc = exampleFramework(amend);
  const recorded = recordVersion(journal.image.framework, doc, 'test');
  if (!recorded.ok) throw new Error(recorded.message);
  await append(journal, { ok: true, value: recorded.value.drafts });
  for (const party of requiredSignatories(doc)) {
    await append(
      journal,
      signVersion(journal.image.framework, { party, hash: recorded.value.hash, signer: party, signedAt: '2026-01-06T00:00:00Z' }),
    );
  }
  await append(
    journal,
    recordForce(journal.image.framework, { kind: 'entry-into-force', hash: recorded.value.hash, at: '2026-01-07T00:00:00+02:00' }),
  );
}

/** Where a case's reports put it: by default a shelling on the contact line, inside its buffer zone. */
interface Place {
  readonly lon: number;
  readonly lat: number;
  readonly domain: string;
  readonly type: string;
}
const ON_THE_LINE: Place = { lon: 35.55, lat: 47.52, domain: 'land', type: 'shelling-impact' };

function report(id: string, source: string, party: string, occurredAt: string, place: Place): { drafts: EventDraft[]; party: string } {
  const { lon, lat, domain, type } = place;
  return {
    party,
    drafts: [
      {
        stream: `report/${id}`,
        type: 'report.filed',
        payload: {
          id,
          occurredAt,
          location: { type: 'point', lon, lat, precision_m: 50 },
          point: { lon, lat },
          domain,
          type,
          source,
        },
        visibility: ['party:mechanism', 'grant:exact-location'],
      },
    ],
  };
}

/**
 * A case as operations records it (model.ts): two observations by different sources, a finding by the
 * mechanism, then verified. `attributed: false` records "could not be attributed".
 */
async function verifiedCase(
  journal: Journal,
  caseId: string,
  opts: { attributed?: boolean; severity?: number; occurredAt?: string; place?: Place } = {},
) {
  const at = opts.occurredAt ?? '2026-01-10T03:00:00Z';
  for (const [i, source] of ['patrol-saw', 'drone'].entries()) {
    const r = report(`${caseId}-r${i}`, source, 'mechanism', at, opts.place ?? ON_THE_LINE);
    const res = await journal.append({ drafts: r.drafts, actor: 'monitor', party: r.party });
    if (!res.ok) throw new Error(res.message);
  }
  const stream = `case/${caseId}`;
  const ev = (type: string, payload: Record<string, unknown>): EventDraft => ({
    stream,
    type,
    payload: { caseId, ...payload },
    visibility: ['process'],
  });
  await append(
    journal,
    {
      ok: true,
      value: [ev('case.opened', { reportIds: [`${caseId}-r0`, `${caseId}-r1`], explanation: 'same place and hour', splitFrom: null })],
    },
    'monitor',
    'mechanism',
  );
  await append(
    journal,
    { ok: true, value: [ev('case.status-changed', { from: 'reported', to: 'under-investigation', reason: '' })] },
    'monitor',
    'mechanism',
  );
  const attribution =
    opts.attributed === false
      ? { party: null, couldNotAttribute: true, reason: 'no crater analysis possible' }
      : { party: 'ru', confidence: 'high' };
  await append(
    journal,
    {
      ok: true,
      value: [
        ev('case.finding-recorded', { findingId: `${caseId}-f`, attribution, summary: 'artillery impact', severity: opts.severity ?? 4 }),
      ],
    },
    'monitor',
    'mechanism',
  );
  await append(
    journal,
    { ok: true, value: [ev('case.status-changed', { from: 'under-investigation', to: 'verified', reason: 'two sources' })] },
    'monitor',
    'mechanism',
  );
}

/** Settles a bracketed clause of the example on one of its alternatives (as if the parties had agreed it). */
function agreeOn(clauseId: string, alternativeId: string): (doc: Framework) => void {
  return (doc) => {
    const clause = doc.chapters.flatMap((ch) => ch.articles.flatMap((a) => a.clauses)).find((c) => c.id === clauseId)!;
    const alternative = clause.alternatives.find((a) => a.id === alternativeId)!;
    clause.status = 'agreed';
    clause.part = alternative.part;
    clause.alternatives = [];
  };
}

async function events(store: JournalStore, type: string): Promise<JournalEvent[]> {
  const out: JournalEvent[] = [];
  for await (const e of store.iterate(0)) if (e.type === type) out.push(e);
  return out;
}

async function openStores(tag: string): Promise<() => Promise<JournalStore>> {
  if (PG) {
    const schema = `entente_guarantees_${tag}_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    cleanups.push(async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    });
    return () => openStore({ db: PG, schema });
  }
  const dir = tempDir();
  cleanups.push(async () => dir.remove());
  return () => openStore({ data: dir.path });
}

async function node(
  open: () => Promise<JournalStore>,
  migrate = false,
): Promise<{ journal: Journal; store: JournalStore; reactions: Reactions }> {
  const store = await open();
  if (migrate) await store.migrate();
  const journal = new Journal(store, null, { pollMs: 30, now });
  await journal.open();
  const reactions = new Reactions(journal, REACTORS, log, now, 3_600_000);
  reactions.start();
  return { journal, store, reactions };
}

async function shut(n: { journal: Journal; store: JournalStore; reactions: Reactions }): Promise<void> {
  await n.reactions.stop();
  await n.journal.close();
  await n.store.close();
}

async function settle(ms = 300): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

function only(journal: Journal): Escalation {
  const list = [...journal.image.escalations.escalations.values()];
  expect(list).toHaveLength(1);
  return list[0]!;
}

describe(`guarantees live (${PG ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('a verified, attributed case opens the escalation of the commitment in force, with who pulls the trigger and why', async () => {
    clock.t = new Date('2026-01-10T08:00:00Z');
    const n = await node(await openStores('open'), true);
    cleanups.push(() => shut(n));
    await seedFramework(n.journal);
    await verifiedCase(n.journal, 'case-1');
    await n.reactions.tick();
    await settle(100);
    const e = only(n.journal);
    expect(e.status).toBe('open');
    expect(e.opening.commitment).toBe('commit-land');
    expect(e.opening.against).toBe('ru');
    expect(e.opening.leadResponder).toBe('gb');
    expect(e.opening.clause).toMatch(/^c-commit-land/);
    expect(e.evidence).toEqual(['case-1']);
    expect(e.opening.evidence[0]!.zones).toEqual(expect.arrayContaining(['contact-line-buffer']));
    expect(e.opening.evidence[0]!.independentSources).toBe(2);
    expect(e.opening.explanation).toMatch(/gb|United Kingdom/);
    expect(e.opening.rule.text.length).toBeGreaterThan(10);
    // Opened at the instant of verification, first rung (the mechanism verifies) due 24 hours later.
    expect(e.opening.openedAt).toBe('2026-01-10T08:00:00.000Z');
    expect(e.rungs[0]!.id).toBe('verify');
    expect(Date.parse(e.rungs[0]!.deadline!)).toBeGreaterThanOrEqual(Date.parse('2026-01-11T08:00:00Z'));
    // The parties to the conflict do not read it.
    const opened = await events(n.store, 'escalation.opened');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.visibility).toContain('mediator');
    expect(opened[0]!.visibility).not.toContain('party:ru');
  });

  it('an opening lost in a crash between verification and reaction is made when a node starts', async () => {
    clock.t = new Date('2026-01-10T08:00:00Z');
    const open = await openStores('recover');
    const first = await node(open, true);
    await first.reactions.stop(); // the node "crashes" before reacting
    await seedFramework(first.journal);
    await verifiedCase(first.journal, 'case-r');
    await settle(50);
    expect(first.journal.image.escalations.escalations.size).toBe(0);
    await shut(first);
    const second = await node(open);
    cleanups.push(() => shut(second));
    await second.reactions.tick();
    await settle(100);
    expect(only(second.journal).evidence).toEqual(['case-r']);
    // Starting again proposes nothing more.
    const third = await node(open);
    cleanups.push(() => shut(third));
    await third.reactions.tick();
    await settle(100);
    expect(await events(third.store, 'escalation.opened')).toHaveLength(1);
  });

  it('a case that could not be attributed, or was judged before any framework was in force, opens nothing', async () => {
    clock.t = new Date('2026-01-10T08:00:00Z');
    const n = await node(await openStores('none'), true);
    cleanups.push(() => shut(n));
    await seedFramework(n.journal);
    await verifiedCase(n.journal, 'case-u', { attributed: false });
    await verifiedCase(n.journal, 'case-early', { occurredAt: '2026-01-02T03:00:00Z' });
    await verifiedCase(n.journal, 'case-light', { severity: 1 });
    await n.reactions.tick();
    await settle(100);
    expect(n.journal.image.escalations.escalations.size).toBe(0);
    expect(await events(n.store, 'escalation.opened')).toHaveLength(0);
  });

  it('under alternative B of the sea clause, a naval breach in the corridor buffer reaches nobody, as the coverage gap says', async () => {
    clock.t = new Date('2026-01-10T08:00:00Z');
    const n = await node(await openStores('buffer'), true);
    cleanups.push(() => shut(n));
    await seedFramework(n.journal, agreeOn('c-commit-sea', 'c-commit-sea-b'));
    const gaps = checkCoverage(exampleFramework(agreeOn('c-commit-sea', 'c-commit-sea-b'))).findings.filter((f) => f.code === 'gap');
    expect(gaps.flatMap((f) => f.cells).filter((c) => c.breachType === 'naval')).toEqual([
      { breachType: 'naval', domain: 'sea', zone: 'corridor-buffer' },
    ]);
    // 8 km east of the corridor's centre line: beyond its 5.6 km fairway, inside the drawn corridor buffer.
    const eightKm = 8000 / (111_195 * Math.cos((45.55 * Math.PI) / 180));
    await verifiedCase(n.journal, 'case-buffer', { place: { lon: 30.35 + eightKm, lat: 45.55, domain: 'sea', type: 'naval' } });
    await n.reactions.tick();
    await settle(100);
    expect(n.journal.image.escalations.escalations.size).toBe(0);
    // The same breach in the corridor itself: the coalition leads the response.
    await verifiedCase(n.journal, 'case-fairway', { place: { lon: 30.35, lat: 45.55, domain: 'sea', type: 'naval' } });
    await n.reactions.tick();
    await settle(100);
    const e = only(n.journal);
    expect(e.opening.commitment).toBe('commit-sea');
    expect(e.opening.leadResponder).toBe('coalition');
    expect(e.evidence).toEqual(['case-fairway']);
    expect(e.opening.evidence[0]!.zones).toEqual(['black-sea-corridor', 'corridor-buffer']);
  });

  it('two nodes open the escalation once and move a missed rung once', async () => {
    clock.t = new Date('2026-01-10T08:00:00Z');
    const open = await openStores('two');
    const a = await node(open, true);
    const b = await node(open);
    cleanups.push(
      () => shut(b),
      () => shut(a),
    );
    await seedFramework(a.journal);
    await verifiedCase(a.journal, 'case-2');
    await settle(300); // b polls the case's events and reacts to them too
    await Promise.all([a.reactions.tick(), b.reactions.tick()]);
    await settle(200);
    expect(await events(a.store, 'escalation.opened')).toHaveLength(1);
    const deadline = Date.parse(only(a.journal).rungs[0]!.deadline!);
    clock.t = new Date(deadline + HOUR);
    await Promise.all([a.reactions.tick(), b.reactions.tick()]);
    await settle(200);
    await Promise.all([a.reactions.tick(), b.reactions.tick()]);
    await settle(200);
    expect(await events(a.store, 'escalation.rung-missed')).toHaveLength(1);
    const moved = await events(a.store, 'escalation.rung-opened');
    expect(moved).toHaveLength(1);
    // The next rung opens at the deadline itself, not when a node happened to notice.
    expect(Date.parse(moved[0]!.payload.at as string)).toBe(deadline);
    for (const n of [a, b]) {
      const e = only(n.journal);
      expect(e.rungs.map((r) => [r.id, r.state])).toEqual([
        ['verify', 'missed'],
        ['consult', 'opened'],
      ]);
    }
  });

  it('a deadline passed while the node was down fires once after the restart', async () => {
    clock.t = new Date('2026-01-10T08:00:00Z');
    const open = await openStores('restart');
    const first = await node(open, true);
    await seedFramework(first.journal);
    await verifiedCase(first.journal, 'case-3');
    await first.reactions.tick();
    await settle(100);
    const deadline = Date.parse(only(first.journal).rungs[0]!.deadline!);
    await shut(first);
    // Down across the deadline.
    clock.t = new Date(deadline + 5 * HOUR);
    const second = await node(open);
    cleanups.push(() => shut(second));
    await second.reactions.tick();
    await settle(100);
    await second.reactions.tick();
    await settle(100);
    expect(await events(second.store, 'escalation.rung-missed')).toHaveLength(1);
    expect(await events(second.store, 'escalation.rung-opened')).toHaveLength(1);
    const e = only(second.journal);
    expect(e.rungs).toHaveLength(2);
    expect(e.rungs[1]!.openedAt).toBe(new Date(deadline).toISOString());
  });
});

describe('the guarantees demo', () => {
  it('has an escalation from a January case that climbed a rung and now counts down on the next', async () => {
    const dir = tempDir();
    const store = await openStore({ data: dir.path });
    await store.migrate();
    const journal = new Journal(store, null);
    await journal.open();
    cleanups.push(async () => {
      await journal.close();
      await store.close();
      dir.remove();
    });
    await seedDemo(journal, store, log);
    const list = [...journal.image.escalations.escalations.values()];
    expect(list.length).toBeGreaterThanOrEqual(1);
    const e = list.find((x) => x.rungs.length > 1)!;
    expect(e.opening.evidence[0]!.occurredAt.startsWith('2026-01')).toBe(true);
    expect(e.rungs[0]).toMatchObject({ id: 'verify', state: 'missed' });
    expect(e.rungs[1]).toMatchObject({ id: 'consult', state: 'opened', openedBecause: 'deadline-missed' });
    expect(Date.parse(e.rungs[1]!.deadline!)).toBeGreaterThan(Date.now());
  });
});
