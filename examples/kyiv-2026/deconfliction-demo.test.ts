import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/factories';
import { noticeStatus } from '../../src/core/operations/deconfliction/notice';
import { seedDemo } from '../../src/runtime/demo';
import { Journal } from '../../src/runtime/journal';
import { openStore } from '../../src/store/open';
import type { JournalStore } from '../../src/store/contract';

let dir: ReturnType<typeof tempDir>;
let store: JournalStore;
let journal: Journal;

beforeAll(async () => {
  dir = tempDir();
  store = await openStore({ data: dir.path });
  await store.migrate();
  journal = new Journal(store, null);
  await journal.open();
  await seedDemo(journal, store, pino({ level: 'silent' }));
});
afterAll(async () => {
  await journal.close();
  await store.close();
  dir.remove();
});

describe('the deconfliction demo', () => {
  it('has four notified sites and a convoy: acknowledged, one escalated, the past convoy expired', () => {
    const notices = [...journal.image.deconfliction.notices.values()];
    expect(notices.map((n) => n.siteKind ?? n.kind).sort()).toEqual(['hospital', 'movement', 'school', 'warehouse', 'water']);
    const status = Object.fromEntries(notices.map((n) => [n.siteKind ?? n.kind, noticeStatus(n)]));
    expect(status).toEqual({
      hospital: 'acknowledged',
      water: 'acknowledged',
      warehouse: 'acknowledged',
      school: 'escalated',
      movement: 'expired',
    });
    const school = notices.find((n) => n.siteKind === 'school')!;
    expect(school.escalation?.missing).toEqual(['ru']);
  });

  it('has the school struck by a reported shelling impact, within its 1 km buffer, raised to those who must know', () => {
    const strikes = journal.image.deconfliction.strikes;
    expect(strikes).toHaveLength(1);
    expect(strikes[0]!.payload).toMatchObject({
      siteKind: 'school',
      reportId: 'demo-report-orikhiv-school',
      buffer_m: 1000,
      acknowledgedBy: ['ua'],
    });
    expect(strikes[0]!.payload.distance_m).toBeGreaterThan(300);
    expect(strikes[0]!.payload.distance_m).toBeLessThan(500);
    expect(strikes[0]!.visibility).toEqual(expect.arrayContaining(['party:icrc', 'mediator', 'party:mechanism', 'party:us']));
    expect(journal.image.deconfliction.pending.size).toBe(0);
  });
});
