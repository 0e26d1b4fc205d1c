import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFramework } from '../../framework/validate';
import type { Framework } from '../../framework/model';
import { MovementNoticeInput, SiteNoticeInput } from './notice';
import { inOffsetOf, notifyMovement, notifySite, type NotifyContext } from './notify';
import { addDuration, describeDuration, ruleContext } from './rules';

const EXAMPLE = join(import.meta.dirname, '../../../../examples/kyiv-2026/framework.yaml');
const doc = validateFramework(readFileSync(EXAMPLE, 'utf8'), EXAMPLE).document as Framework;

const NOW = new Date('2026-01-10T08:00:00Z');
const ctx = (over: Partial<NotifyContext> = {}): NotifyContext => ({
  now: NOW,
  inForce: { hash: 'a'.repeat(64), number: 2, document: doc },
  notifier: { username: 'icrc-liaison', party: 'icrc', partyName: 'International Committee of the Red Cross' },
  id: 'n-1',
  ...over,
});

const hospital = (over: Record<string, unknown> = {}) =>
  SiteNoticeInput.parse({
    kind: 'hospital',
    name: 'Zaporizhzhia Regional Hospital',
    location: { lon: 35.1396, lat: 47.8388 },
    validUntil: '2026-06-30T00:00:00+03:00',
    ...over,
  });

const convoy = (over: Record<string, unknown> = {}) =>
  MovementNoticeInput.parse({
    name: 'Convoy Zaporizhzhia–Orikhiv',
    route: {
      type: 'LineString',
      coordinates: [
        [35.1396, 47.8388],
        [35.4, 47.7],
        [35.78, 47.56],
        [35.93, 47.47],
      ],
    },
    window: { from: '2026-01-12T12:00:00+02:00', until: '2026-01-12T20:00:00+02:00' },
    vehicles: [{ kind: 'truck', count: 6 }],
    ...over,
  });

describe('notifying a site', () => {
  it('takes its lead time, acknowledgement deadline and buffer from the rule in force', () => {
    const r = notifySite(hospital(), ctx());
    if (!r.ok) throw new Error(r.message);
    const n = r.value.notice;
    // Protection starts, by default, as soon as the 48 hours' notice allows.
    expect(n.from).toBe('2026-01-12T08:00:00.000Z');
    expect(n.acknowledgement).toEqual({ by: ['ru', 'ua'], deadline: '2026-01-10T20:00:00.000Z' });
    expect(n.rule).toMatchObject({
      id: 'humanitarian-notification',
      frameworkVersion: 2,
      leadTime: 'PT48H',
      buffer_m: 1000,
      publicPrecision_m: 5000,
    });
    expect(n.organisation).toBe('International Committee of the Red Cross');
  });

  it('writes the exact place for those who must know it and a coarse copy for every participant', () => {
    const r = notifySite(hospital(), ctx());
    if (!r.ok) throw new Error(r.message);
    const [exact, coarse] = r.value.drafts;
    expect(exact).toMatchObject({
      stream: 'notice/n-1',
      type: 'site.notified',
      visibility: ['party:icrc', 'party:ru', 'party:ua', 'grant:exact-location'],
    });
    expect(exact!.payload.location).toEqual({ lon: 35.1396, lat: 47.8388 });
    expect(coarse).toMatchObject({ stream: 'notice/n-1', type: 'notice.recorded', visibility: ['process'] });
    const loc = coarse!.payload.location as { lon: number; lat: number; precision_m: number };
    expect(loc.precision_m).toBe(5000);
    expect(JSON.stringify(coarse!.payload)).not.toContain('35.1396');
    expect(JSON.stringify(coarse!.payload)).not.toContain('47.8388');
  });

  it('refuses a start inside the lead time, saying when it could start at the earliest, in the zone it was asked in', () => {
    const r = notifySite(hospital({ validFrom: '2026-01-11T09:00:00+02:00' }), ctx());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('refused');
    expect(r.pointer).toBe('/validFrom');
    expect(r.message).toContain('at least 48 hours (PT48H) before it starts');
    expect(r.message).toContain('the earliest it could start is 2026-01-12T10:00:00+02:00');
    expect(r.details).toMatchObject({ earliestStart: '2026-01-12T08:00:00.000Z' });
  });

  it('accepts a start exactly at the end of the lead time', () => {
    expect(notifySite(hospital({ validFrom: '2026-01-12T10:00:00+02:00' }), ctx()).ok).toBe(true);
  });

  it('refuses when no framework is in force, or its text has no deconfliction rule', () => {
    const none = notifySite(hospital(), ctx({ inForce: null }));
    expect(none).toMatchObject({ ok: false, code: 'refused' });
    const withoutRule: Framework = {
      ...doc,
      chapters: doc.chapters.map((ch) => ({
        ...ch,
        articles: ch.articles.map((a) => ({
          ...a,
          clauses: a.clauses.map((c) => (c.part?.kind === 'deconfliction-rule' ? { ...c, part: undefined } : c)),
        })),
      })),
    };
    const r = notifySite(hospital(), ctx({ inForce: { hash: 'b'.repeat(64), number: 3, document: withoutRule } }));
    expect(r).toMatchObject({ ok: false, code: 'refused' });
    if (!r.ok) expect(r.message).toContain('no deconfliction rule');
  });

  it('refuses an account without a party, an end before the start and a validity over a year', () => {
    expect(notifySite(hospital(), ctx({ notifier: { username: 'x', party: null, partyName: null } }))).toMatchObject({
      ok: false,
      code: 'refused',
    });
    expect(notifySite(hospital({ validUntil: '2026-01-11T00:00:00Z' }), ctx())).toMatchObject({
      ok: false,
      code: 'validation_failed',
      pointer: '/validUntil',
    });
    expect(notifySite(hospital({ validUntil: '2027-06-30T00:00:00Z' }), ctx())).toMatchObject({
      ok: false,
      code: 'validation_failed',
      pointer: '/validUntil',
    });
  });
});

describe('notifying a movement', () => {
  it('records route, window and vehicles, with the land-movement buffer', () => {
    const r = notifyMovement(convoy(), ctx());
    if (!r.ok) throw new Error(r.message);
    expect(r.value.drafts[0]).toMatchObject({ type: 'movement.notified' });
    expect(r.value.notice).toMatchObject({
      kind: 'movement',
      activity: 'land-movement',
      from: '2026-01-12T10:00:00.000Z',
      vehicles: [{ kind: 'truck', count: 6 }],
    });
    expect(r.value.notice.rule.buffer_m).toBe(500);
  });

  it('refuses a window inside the lead time, pointing at its start', () => {
    const r = notifyMovement(convoy({ window: { from: '2026-01-11T12:00:00+02:00', until: '2026-01-11T20:00:00+02:00' } }), ctx());
    expect(r).toMatchObject({ ok: false, code: 'refused', pointer: '/window/from' });
    if (!r.ok) expect(r.message).toContain('A land movement must be notified at least 48 hours');
  });

  it('takes the sea lead time for a sea movement (24 hours)', () => {
    const r = notifyMovement(
      convoy({ activity: 'sea-movement', window: { from: '2026-01-11T10:00:00+02:00', until: '2026-01-11T20:00:00+02:00' } }),
      ctx(),
    );
    expect(r.ok).toBe(true);
  });

  it('refuses an activity the rule does not cover (air movements)', () => {
    const r = notifyMovement(convoy({ activity: 'air-movement' }), ctx());
    expect(r).toMatchObject({ ok: false, code: 'refused', pointer: '/activity' });
  });

  it('refuses a route without length', () => {
    const r = notifyMovement(
      convoy({
        route: {
          type: 'LineString',
          coordinates: [
            [35, 47],
            [35, 47],
          ],
        },
      }),
      ctx(),
    );
    expect(r).toMatchObject({ ok: false, code: 'validation_failed', pointer: '/route/coordinates' });
  });
});

describe('rules and durations', () => {
  it('reads the example rule, its guarantors and its mechanism', () => {
    const c = ruleContext(doc, 'h', 2);
    expect(c.rule?.id).toBe('humanitarian-notification');
    expect(c.guarantors).toEqual(expect.arrayContaining(['us', 'gb', 'fr', 'de', 'tr', 'coalition']));
    expect(c.mechanisms).toEqual(['mechanism']);
  });

  it('adds ISO durations and names them', () => {
    const t = Date.parse('2026-01-31T12:00:00Z');
    expect(new Date(addDuration(t, 'PT48H')).toISOString()).toBe('2026-02-02T12:00:00.000Z');
    expect(new Date(addDuration(t, 'P1DT6H30M')).toISOString()).toBe('2026-02-01T18:30:00.000Z');
    expect(new Date(addDuration(t, 'P1W')).toISOString()).toBe('2026-02-07T12:00:00.000Z');
    expect(describeDuration('PT48H')).toBe('48 hours');
    expect(describeDuration('P1DT1H')).toBe('1 day 1 hour');
    expect(inOffsetOf(Date.parse('2026-01-12T08:00:00Z'), '2026-01-11T09:00:00-05:00')).toBe('2026-01-12T03:00:00-05:00');
  });
});
