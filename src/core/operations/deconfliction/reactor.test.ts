import { readFileSync } from 'node:fs';
import pg from 'pg';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/factories';
import { EXAMPLE_FRAMEWORK } from '../../../runtime/demo';
import { Journal } from '../../../runtime/journal';
import { MemoryImage } from '../../../runtime/image';
import { Reactions } from '../../../runtime/reactions';
import type { JournalStore } from '../../../store/contract';
import { openStore } from '../../../store/open';
import type { Result } from '../../errors';
import { validateFramework } from '../../framework/validate';
import { inForceAt, recordForce, recordVersion, requiredSignatories, signVersion } from '../../framework/versions';
import type { EventDraft, JournalEvent } from '../../journal/envelope';
import { MovementNoticeInput, SiteNoticeInput } from './notice';
import { notifyMovement, notifySite } from './notify';
import { deconflictionProjection, type DeconflictionState } from './projection';
import { deconflictionReactor } from './reactor';

/**
 * The reactor on two nodes sharing one store: each node keeps its own memory image and runs its own
 * reactions on the same fixed clock; every escalation, expiry and strike is appended exactly once.
 */

const PG = process.env.ENTENTE_TEST_PG ?? '';
const log = pino({ level: 'silent' });
const T0 = new Date('2026-01-10T08:00:00Z');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function append(journal: Journal, drafts: Result<EventDraft[]>, actor = 'test', party: string | null = null): Promise<void> {
  if (!drafts.ok) throw new Error(drafts.message);
  const r = await journal.append({ drafts: drafts.value, actor, party });
  if (!r.ok) throw new Error(r.message);
}

async function seed(journal: Journal): Promise<{ site: string; movement: string }> {
  const doc = validateFramework(readFileSync(EXAMPLE_FRAMEWORK, 'utf8'), EXAMPLE_FRAMEWORK).document!;
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
  const f = inForceAt(journal.image.framework, T0.toISOString())!;
  const ctx = (id: string) => ({
    now: T0,
    inForce: { hash: f.hash, number: f.number, document: f.document },
    notifier: { username: 'icrc-liaison', party: 'icrc', partyName: 'ICRC' },
    id,
  });
  const site = notifySite(
    SiteNoticeInput.parse({
      kind: 'water',
      name: 'Pumping station 3',
      location: { lon: 35.1, lat: 47.85 },
      validUntil: '2026-02-01T00:00:00Z',
    }),
    ctx('site-1'),
  );
  const movement = notifyMovement(
    MovementNoticeInput.parse({
      name: 'Convoy',
      route: {
        type: 'LineString',
        coordinates: [
          [35.2, 47.8],
          [35.5, 47.6],
        ],
      },
      window: { from: '2026-01-12T10:00:00Z', until: '2026-01-12T16:00:00Z' },
      vehicles: [{ kind: 'truck', count: 3 }],
    }),
    ctx('movement-1'),
  );
  for (const n of [site, movement]) await append(journal, n.ok ? { ok: true, value: n.value.drafts } : n, 'icrc-liaison', 'icrc');
  return { site: 'site-1', movement: 'movement-1' };
}

/** A report as intake files it (model.ts): exact location in `report.filed`, stream `report/<id>`. */
function reportDrafts(id: string, occurredAt: string, lon: number, lat: number): EventDraft[] {
  return [
    {
      stream: `report/${id}`,
      type: 'report.filed',
      payload: {
        id,
        occurredAt,
        location: { type: 'point', lon, lat, precision_m: 50 },
        point: { lon, lat },
        domain: 'land',
        type: 'shelling-impact',
        source: 'sensor',
      },
      visibility: ['party:mechanism', 'grant:exact-location'],
    },
  ];
}

async function twoNodes(): Promise<{ a: Journal; b: Journal; store: JournalStore }> {
  let open: () => Promise<JournalStore>;
  if (PG) {
    const schema = `entente_deconfliction_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    cleanups.push(async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    });
    open = () => openStore({ db: PG, schema });
  } else {
    const dir = tempDir();
    cleanups.push(async () => dir.remove());
    open = () => openStore({ data: dir.path });
  }
  const storeA = await open();
  await storeA.migrate();
  const storeB = await open();
  const a = new Journal(storeA, null, { pollMs: 50 });
  const b = new Journal(storeB, null, { pollMs: 50 });
  await a.open();
  await b.open();
  cleanups.push(async () => {
    await a.close();
    await b.close();
    await storeA.close();
    await storeB.close();
  });
  return { a, b, store: storeA };
}

async function count(store: JournalStore, type: string): Promise<JournalEvent[]> {
  const out: JournalEvent[] = [];
  for await (const e of store.iterate(0)) if (e.type === type) out.push(e);
  return out;
}

describe(`deconfliction reactor on two nodes (${PG ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('escalates an unacknowledged notice once, and expires it once, though both nodes fire at the same instant', async () => {
    const { a, b, store } = await twoNodes();
    const { site, movement } = await seed(a);
    await b.catchUp();
    let clock = new Date('2026-01-10T20:00:01Z');
    const ra = new Reactions(a, [deconflictionReactor], log, () => clock, 3_600_000);
    const rb = new Reactions(b, [deconflictionReactor], log, () => clock, 3_600_000);
    await Promise.all([ra.tick(), rb.tick()]);
    await Promise.all([ra.tick(), rb.tick()]);
    const escalated = await count(store, 'notice.escalated');
    expect(escalated.map((e) => e.payload.noticeId).sort()).toEqual([movement, site]);
    expect(escalated[0]!.payload.missing).toEqual(['ru', 'ua']);

    clock = new Date('2026-01-12T16:00:00Z');
    await a.catchUp();
    await b.catchUp();
    await Promise.all([ra.tick(), rb.tick()]);
    await Promise.all([ra.tick(), rb.tick()]);
    expect((await count(store, 'notice.expired')).map((e) => e.payload.noticeId)).toEqual([movement]);
    await a.catchUp();
    await b.catchUp();
    for (const j of [a, b]) {
      const s = j.image.state<DeconflictionState>('deconfliction');
      expect(s.notices.get(site)!.escalation).not.toBeNull();
      expect(s.notices.get(movement)!.expiredAt).toBe('2026-01-12T16:00:00.000Z');
    }
  });

  it('appends a strike once when both nodes react to the same report', async () => {
    const { a, b, store } = await twoNodes();
    await seed(a);
    const clock = new Date('2026-01-12T12:00:00Z');
    const ra = new Reactions(a, [deconflictionReactor], log, () => clock, 3_600_000);
    const rb = new Reactions(b, [deconflictionReactor], log, () => clock, 3_600_000);
    ra.start();
    rb.start();
    cleanups.push(async () => {
      await ra.stop();
      await rb.stop();
    });
    // 200 m east of the pumping station, while it is protected.
    const r = await a.append({
      drafts: reportDrafts('r-1', '2026-01-12T11:00:00.000Z', 35.1 + 200 / 74_800, 47.85),
      actor: 'monitor',
      party: 'mechanism',
    });
    expect(r.ok).toBe(true);
    await b.catchUp();
    await Promise.all([ra.tick(), rb.tick()]);
    await a.catchUp();
    await b.catchUp();
    const struck = await count(store, 'site.struck');
    expect(struck).toHaveLength(1);
    expect(struck[0]!.payload).toMatchObject({ noticeId: 'site-1', reportId: 'r-1', buffer_m: 1000 });
    expect(struck[0]!.visibility).toEqual(expect.arrayContaining(['party:icrc', 'mediator', 'party:mechanism', 'party:us']));
    for (const j of [a, b]) expect(j.image.state<DeconflictionState>('deconfliction').pending.size).toBe(0);
  });
});

describe('the deconfliction fold', () => {
  it('gives the same state live and rebuilt from a snapshot taken at any point', async () => {
    const { a } = await twoNodes();
    await seed(a);
    // Reports around the two notices, some inside the buffers and windows, some not.
    let seedValue = 17;
    const rnd = () => (seedValue = (seedValue * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 60; i++) {
      const t = new Date(Date.parse('2026-01-11T00:00:00Z') + rnd() * 3 * 86_400_000).toISOString();
      // Every other report falls within about 1.5 km of the pumping station.
      const [lon, lat] = i % 2 ? [35.1 + (rnd() - 0.5) * 0.03, 47.85 + (rnd() - 0.5) * 0.02] : [35.05 + rnd() * 0.5, 47.55 + rnd() * 0.35];
      await a.append({ drafts: reportDrafts(`r-${i}`, t, lon, lat), actor: 'monitor', party: 'mechanism' });
    }
    const events: JournalEvent[] = [];
    for await (const e of a.store.iterate(0)) events.push(e);
    const live = new MemoryImage();
    for (const e of events) live.apply(e);
    const expected = JSON.stringify(deconflictionProjection.toSnapshot(live.state('deconfliction')));
    expect(live.state<DeconflictionState>('deconfliction').pending.size).toBeGreaterThan(0);
    for (const cut of [1, Math.floor(events.length / 3), events.length - 5]) {
      const first = new MemoryImage();
      for (const e of events.slice(0, cut)) first.apply(e);
      const rebuilt = new MemoryImage();
      expect(rebuilt.restore(first.snapshot())).toBe(true);
      for (const e of events.slice(cut)) rebuilt.apply(e);
      expect(JSON.stringify(deconflictionProjection.toSnapshot(rebuilt.state('deconfliction')))).toBe(expected);
    }
  });
});
