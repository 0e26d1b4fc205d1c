import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { memoryJournalWithFrameworks } from '../../../test/operations-fixtures';
import { canonicalize } from '../journal/canonical';
import type { ReportPayload } from './events';
import { ReportIntake } from './intake';
import { ReportInput } from './model';
import type { ParsedReport } from './report';

const monitor = { username: 'monitor-user', party: 'mechanism', roles: ['monitor'] };
const NOW = new Date('2026-03-01T00:00:00Z');

function report(over: Record<string, unknown> = {}): ParsedReport {
  return ReportInput.parse({
    occurredAt: '2026-01-20T05:40:00+02:00',
    location: { lon: 35.931234567, lat: 47.471234567 },
    domain: 'land',
    type: 'shelling-impact',
    source: 'patrol-heard',
    narrative: 'Four impacts heard south-east of Orikhiv.',
    ...over,
  });
}

async function setup() {
  const j = await memoryJournalWithFrameworks();
  let n = 0;
  const intake = new ReportIntake({ view: j.view, append: j.append, now: () => NOW });
  const file = (input: ParsedReport, reporter = monitor, raw?: unknown) =>
    intake.submit(input, reporter, { id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, raw });
  return { ...j, intake, file };
}

function payloads(events: readonly { type: string; payload: unknown; visibility: string[] }[]) {
  const filed = events.find((e) => e.type === 'report.filed')!;
  const recorded = events.find((e) => e.type === 'report.recorded')!;
  return { filed, recorded, exact: filed.payload as ReportPayload, coarse: recorded.payload as ReportPayload };
}

describe('intake', () => {
  it('writes the exact report for need-to-know and a coarse twin for every participant, in one append', async () => {
    const { file, events } = await setup();
    const before = events.length;
    const r = await file(report());
    expect(r.ok).toBe(true);
    const appended = events.slice(before);
    expect(appended.map((e) => e.type)).toEqual(['report.filed', 'report.recorded', 'case.opened']);
    const { filed, recorded, exact, coarse } = payloads(appended);
    expect(filed.visibility).toEqual(['grant:exact-location', 'party:mechanism']);
    expect(recorded.visibility).toEqual(['process']);
    expect(exact.point).toEqual({ lon: 35.931234567, lat: 47.471234567 });
    // The coarse twin is a 5 km cell's centre: nothing of the exact digits survives anywhere in it.
    expect(JSON.stringify(recorded.payload)).not.toMatch(/1234567|35\.9312|47\.4712/);
    expect(coarse.precision).toBe('public');
    expect(coarse.location.precision_m).toBe(5000);
    expect(Math.abs(coarse.point.lon - exact.point.lon)).toBeLessThan(0.05);
    expect(Math.abs(coarse.point.lat - exact.point.lat)).toBeLessThan(0.03);
    // Distances in the coarse classification are rounded to the public precision.
    expect(coarse.classification!.contactLine!.distance_m % 5000).toBe(0);
  });

  it('judges a report by the framework in force when it happened, not by today’s', async () => {
    const { file, events } = await setup();
    await file(report({ occurredAt: '2026-01-20T05:40:00+02:00' }));
    const january = payloads(events.slice(-3));
    await file(report({ occurredAt: '2026-02-10T05:40:00+02:00' }));
    const february = payloads(events.slice(-3));
    await file(report({ occurredAt: '2026-01-03T05:40:00+02:00' }));
    const beforeForce = payloads(events.slice(-3));

    expect(january.exact.framework?.number).toBe(1);
    expect(january.exact.classification!.bufferZones.length).toBeGreaterThan(0);
    expect(january.coarse.publicPrecision_m).toBe(5000);

    // Version 2 moved the buffer zones away and coarsens to 10 km.
    expect(february.exact.framework?.number).toBe(2);
    expect(february.exact.classification!.bufferZones).toEqual([]);
    expect(february.coarse.publicPrecision_m).toBe(10_000);
    expect(february.coarse.location.precision_m).toBe(10_000);

    expect(beforeForce.exact.framework).toBeNull();
    expect(beforeForce.exact.classification).toBeNull();
    expect(beforeForce.exact.warnings.map((w) => w.code)).toContain('no-framework-in-force');
  });

  it('accepts probably swapped coordinates with a warning that names no coordinate', async () => {
    const { file } = await setup();
    const r = await file(report({ location: { lon: 47.471234567, lat: 35.931234567 } }));
    expect(r.ok && r.value.warnings.map((w) => w.code)).toEqual(['swapped-coordinates']);
    expect(r.ok && r.value.warnings[0]!.pointer).toBe('/location');
    expect(JSON.stringify(r.ok && r.value.warnings)).not.toMatch(/47\.47|35\.93/);
  });

  it('refuses a time more than five minutes in the future, and stores nothing', async () => {
    const { file, events } = await setup();
    const before = events.length;
    const r = await file(report({ occurredAt: '2026-03-01T00:06:00Z' }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.pointer).toBe('/occurredAt');
    expect(events.length).toBe(before);
    expect((await file(report({ occurredAt: '2026-03-01T00:04:00Z' }))).ok).toBe(true);
  });

  it('verifies and records a device signature; a tampered report is refused at /signature/signature', async () => {
    const { file, events } = await setup();
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const x = publicKey.export({ format: 'jwk' }).x!;
    const body = {
      occurredAt: '2026-01-20T05:40:00+02:00',
      location: { lon: 35.93, lat: 47.47 },
      domain: 'land',
      type: 'drone',
      source: 'sensor',
      narrative: 'Acoustic array.',
    };
    const signature = sign(null, Buffer.from(canonicalize(body)), privateKey).toString('base64url');
    const signed = { ...body, signature: { keyId: 'sensor-7', publicKey: x, signature } };

    const good = await file(ReportInput.parse(signed), monitor, signed);
    expect(good.ok).toBe(true);
    const { exact, coarse } = payloads(events.slice(-3));
    expect(exact.signature).toMatchObject({ keyId: 'sensor-7', verified: true, publicKey: x, signature });
    expect(coarse.signature).toEqual({ keyId: 'sensor-7', verified: true });

    const tampered = { ...signed, narrative: 'Acoustic array (edited).' };
    const bad = await file(ReportInput.parse(tampered), monitor, tampered);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.code).toBe('validation_failed');
    expect(!bad.ok && bad.pointer).toBe('/signature/signature');
    expect(!bad.ok && bad.message).toMatch(/does not verify/);
  });

  it('adds nothing when the same externalRef is filed again, and answers the first report', async () => {
    const { file, events } = await setup();
    const first = await file(report({ externalRef: 'ucdp-ged:12345', occurredPrecision: 'day' }));
    const head = events.length;
    const again = await file(report({ externalRef: 'ucdp-ged:12345', occurredPrecision: 'day', narrative: 'imported twice' }));
    expect(events.length).toBe(head);
    expect(again.ok && again.value.duplicate).toBe(true);
    expect(again.ok && first.ok && again.value.id).toBe(first.ok && first.value.id);
  });

  it("records a party delegation's report as a claim, apart from the monitors' observation it never overwrites", async () => {
    const { file, image } = await setup();
    const observation = await file(report({ type: 'shelling-impact', narrative: 'Monitors saw four impacts.' }));
    const claim = await file(report({ type: 'shelling-impact', source: 'patrol-saw', narrative: 'No firing took place.' }), {
      username: 'ru-delegate',
      party: 'ru',
      roles: ['delegate'],
    });
    expect(claim.ok && claim.value.warnings.map((w) => w.code)).toEqual(['recorded-as-claim']);
    const ops = image.operations;
    const o = ops.reports.get(observation.ok ? observation.value.id : '')!;
    const c = ops.reports.get(claim.ok ? claim.value.id : '')!;
    expect([o.kind, c.kind]).toEqual(['observation', 'claim']);
    // Same incident, one case, two records.
    expect(c.caseId).toBe(o.caseId);
    expect(ops.cases.get(o.caseId!)!.reportIds).toEqual([o.id, c.id]);
  });

  it('takes an area’s centroid as its point and refuses an open ring with its position', async () => {
    const { file } = await setup();
    const square = [
      [35.9, 47.45],
      [36.0, 47.45],
      [36.0, 47.5],
      [35.9, 47.5],
      [35.9, 47.45],
    ];
    const r = await file(report({ location: { type: 'area', polygon: [square] } }));
    expect(r.ok).toBe(true);
    const open = await file(report({ location: { type: 'area', polygon: [square.slice(0, 4)] } }));
    expect(!open.ok && open.pointer).toBe('/location/polygon/0/3');
  });
});
