import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../journal/envelope';
import { operationsProjection, type OperationsState } from '../operations/state';
import { capAlertOf, capAlerts, capFeed, capXml, polygonClosed } from './cap';

/** Every CAP document these tests produce is validated against the OASIS schema, and its polygons checked closed. */
const XSD = readFileSync('/work/shared/schemas/cap/CAP-v1.2.xsd', 'utf8');

export async function assertValidCap(xml: string): Promise<void> {
  const r = await validateXML({ xml: [{ fileName: 'alert.xml', contents: xml }], schema: [{ fileName: 'CAP-v1.2.xsd', contents: XSD }] });
  expect(
    r.errors.map((e) => e.rawMessage),
    xml,
  ).toEqual([]);
  expect(r.valid).toBe(true);
  const polygons = [...xml.matchAll(/<polygon>([^<]*)<\/polygon>/g)].map((m) => m[1]!);
  for (const p of polygons) expect(polygonClosed(p), `polygon not closed: ${p}`).toBe(true);
}

let position = 0;
function ev(type: string, stream: string, payload: Record<string, unknown>, at = '2026-01-10T08:00:00.000Z'): JournalEvent {
  position++;
  return {
    position,
    stream,
    streamVersion: 1,
    type,
    payload,
    actor: 'monitor',
    party: 'mechanism',
    recordedAt: at,
    visibility: ['process'],
    hash: '',
    prevHash: '',
  } as unknown as JournalEvent;
}

function state(
  casualties: { outcome: string; count: number }[],
  status: 'verified' | 'under-investigation',
  attributed = true,
): OperationsState {
  position = 0;
  const s = operationsProjection.init();
  const events = [
    ev('report.filed', 'report/r1', {
      id: 'r1',
      occurredAt: '2026-01-10T03:00:00Z',
      location: { type: 'point', lon: 35.55123, lat: 47.52456, precision_m: 50 },
      point: { lon: 35.55123, lat: 47.52456 },
      domain: 'land',
      type: 'shelling-impact',
      source: 'patrol-saw',
      casualties,
      publicPrecision_m: 5000,
    }),
    ev('case.opened', 'case/c1', { caseId: 'c1', reportIds: ['r1'], explanation: 'x', splitFrom: null }),
    ev('case.status-changed', 'case/c1', { caseId: 'c1', from: 'reported', to: 'under-investigation', reason: '' }),
    ev('case.finding-recorded', 'case/c1', {
      caseId: 'c1',
      findingId: 'f1',
      attribution: attributed ? { party: 'ru', confidence: 'medium' } : { party: null, couldNotAttribute: true, reason: 'no evidence' },
      summary: 's',
      severity: 4,
    }),
  ];
  if (status === 'verified')
    events.push(
      ev(
        'case.status-changed',
        'case/c1',
        { caseId: 'c1', from: 'under-investigation', to: 'verified', reason: 'ok' },
        '2026-01-10T09:30:00.123Z',
      ),
    );
  for (const e of events) operationsProjection.apply(s, e);
  return s;
}

describe('CAP 1.2 alerts', () => {
  it('a verified case with civilian casualties gives a valid CAP alert at the public grid cell, never the exact point', async () => {
    const s = state(
      [
        { outcome: 'killed', count: 2 },
        { outcome: 'injured', count: 3 },
      ],
      'verified',
    );
    const alert = capAlertOf(s, undefined, 'c1', 'entente-mechanism')!;
    expect(alert.severity).toBe('Severe');
    expect(alert.sent).toBe('2026-01-10T09:30:00+00:00');
    expect(alert.description).toMatch(/2 killed, 3 injured/);
    expect(alert.description).toMatch(/ru \(medium confidence\)/);
    const xml = capXml(alert);
    await assertValidCap(xml);
    expect(xml).not.toContain('35.55123');
    expect(xml).not.toContain('47.52456');
  });

  it('an unattributed case says so; injuries only are Moderate; the feed links each alert', async () => {
    const s = state([{ outcome: 'injured', count: 1 }], 'verified', false);
    const alert = capAlertOf(s, undefined, 'c1', 'entente-mechanism')!;
    expect(alert.severity).toBe('Moderate');
    expect(alert.description).toMatch(/could not attribute/);
    await assertValidCap(capXml(alert));
    const feed = capFeed(capAlerts(s, undefined, 'entente-mechanism'), '/api/v1/alerts/cap', '2026-01-11T00:00:00+00:00');
    expect(feed).toContain('href="/api/v1/alerts/cap/c1.xml"');
  });

  it('nothing is published for a case not yet verified, or without civilian harm', () => {
    expect(capAlertOf(state([{ outcome: 'killed', count: 1 }], 'under-investigation'), undefined, 'c1', 's')).toBeNull();
    expect(capAlertOf(state([], 'verified'), undefined, 'c1', 's')).toBeNull();
  });

  it('the checks can fail: a document missing <sent> fails the schema, an open ring fails the closure check', async () => {
    const xml = capXml(capAlertOf(state([{ outcome: 'killed', count: 1 }], 'verified'), undefined, 'c1', 's')!);
    const broken = xml.replace(/\s*<sent>[^<]*<\/sent>/, '');
    const r = await validateXML({ xml: [{ fileName: 'a.xml', contents: broken }], schema: [{ fileName: 'CAP-v1.2.xsd', contents: XSD }] });
    expect(r.valid).toBe(false);
    expect(polygonClosed('47.5,35.5 47.6,35.5 47.6,35.6 47.5,35.6')).toBe(false);
    expect(polygonClosed('47.5,35.5 47.6,35.5 47.6,35.6 47.5,35.5')).toBe(true);
  });
});
