import { describe, expect, it } from 'vitest';
import { noticeStatus } from '../../src/core/operations/deconfliction/notice';
import { seededDemoNode } from './demo-node';

const demo = seededDemoNode();

describe('the deconfliction demo', () => {
  it('has four notified sites and a convoy: acknowledged, one escalated, the past convoy expired', () => {
    const notices = [...demo.journal.image.deconfliction.notices.values()];
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
    const strikes = demo.journal.image.deconfliction.strikes;
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
    expect(demo.journal.image.deconfliction.pending.size).toBe(0);
  });
});
