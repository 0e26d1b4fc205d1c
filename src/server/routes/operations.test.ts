import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, testNode, type TestNode } from '../../../test/factories';
import { seedFrameworks } from '../../../test/operations-fixtures';
import { canonicalize } from '../../core/journal/canonical';

/**
 * The operations API end to end in one process (app.inject): intake, cases, verification, reads,
 * map, exports, the public page and the daily report.
 */

let node: TestNode;
type Headers = Record<string, string>;
const as: Record<string, Headers> = {};
const NOW = new Date('2026-01-21T12:00:00Z');

const near = (over: Record<string, unknown> = {}) => ({
  occurredAt: '2026-01-20T05:40:00+02:00',
  location: { lon: 35.931234567, lat: 47.471234567 },
  domain: 'land',
  type: 'shelling-impact',
  source: 'patrol-heard',
  narrative: 'Four impacts heard south-east of Orikhiv.',
  ...over,
});

async function post(url: string, who: Headers, payload: unknown, extra: Headers = {}) {
  const res = await node.app.inject({ method: 'POST', url, headers: { ...who, ...extra }, payload: payload as Record<string, unknown> });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}
async function get(url: string, who: Headers = {}) {
  const res = await node.app.inject({ method: 'GET', url, headers: who });
  const json = /json/.test(String(res.headers['content-type'])) && !/geo\+json/.test(String(res.headers['content-type']));
  return { status: res.statusCode, body: json ? res.json() : {}, text: res.body, headers: res.headers };
}

beforeAll(async () => {
  node = await testNode({ now: () => NOW });
  await seedFrameworks(node.journal);
  for (const r of ['monitor', 'mediator', 'delegate', 'observer', 'guarantor', 'admin']) as[r] = (await node.signIn(`${r}-user`)).headers;
  // A second investigator, and a guarantor's analyst with need to know.
  await post('/api/v1/users', as.admin!, {
    username: 'monitor-two',
    displayName: 'Monitor two',
    party: 'mechanism',
    roles: ['monitor'],
    password: TEST_PASSWORD,
  });
  as.monitor2 = (await node.signIn('monitor-two')).headers;
  expect((await post('/api/v1/grants', as.admin!, { username: 'guarantor-user', grant: 'exact-location' })).status).toBe(201);
  as.guarantor = (await node.signIn('guarantor-user')).headers;
});
afterAll(async () => {
  await node.close();
});

describe('intake over the API', () => {
  it('files a point given as {lon, lat}, classified against the zones in force on its day, in a new case', async () => {
    const res = await post('/api/v1/reports', as.monitor!, near());
    expect(res.status).toBe(201);
    expect(res.body.duplicate).toBe(false);
    expect(res.body.warnings).toEqual([]);
    expect(res.body.framework).toMatchObject({ number: 1 });
    const c = res.body.classification as unknown as { bufferZones: { zone: string }[]; contactLine: { distance_m: number } };
    expect(c.bufferZones.map((b) => b.zone)).toContain('contact-line-buffer');
    expect(c.contactLine.distance_m).toBeGreaterThan(1000);
    expect(typeof res.body.caseId).toBe('string');
  });

  it('answers bad input with a clear message and a pointer, and stores nothing', async () => {
    const head = node.journal.head;
    const cases: [unknown, string, RegExp][] = [
      [near({ location: { lon: 35.9, lat: 147.1 } }), '/location/lat', /latitude/],
      [near({ location: { lon: 200, lat: 47 } }), '/location/lon', /longitude/],
      [near({ type: 'rumour' }), '/type', /./],
      [near({ occurredAt: '2026-01-21T12:06:00Z' }), '/occurredAt', /future/],
      [near({ location: { type: 'circle', lon: 35, lat: 47 } }), '/location/type', /./],
    ];
    for (const [payload, pointer, message] of cases) {
      const res = await post('/api/v1/reports', as.monitor!, payload);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.pointer).toBe(pointer);
      expect(String(res.body.detail)).toMatch(message);
    }
    expect(node.journal.head).toBe(head);
  });

  it('accepts probably swapped coordinates with a warning in the 201 answer', async () => {
    const res = await post(
      '/api/v1/reports',
      as.monitor!,
      near({ location: { lon: 47.47, lat: 35.93 }, type: 'other', narrative: 'swapped' }),
    );
    expect(res.status).toBe(201);
    expect((res.body.warnings as unknown as { code: string }[]).map((w) => w.code)).toEqual(['swapped-coordinates']);
  });

  it('verifies a device signature, and refuses a report altered after signing with a clear 400', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const body = near({
      type: 'drone',
      domain: 'air',
      source: 'sensor',
      narrative: 'signed by sensor 9',
      occurredAt: '2026-01-20T07:00:00+02:00',
    });
    const signature = {
      keyId: 'sensor-9',
      publicKey: publicKey.export({ format: 'jwk' }).x!,
      signature: sign(null, Buffer.from(canonicalize(body)), privateKey).toString('base64url'),
    };
    const good = await post('/api/v1/reports', as.monitor!, { ...body, signature });
    expect(good.status).toBe(201);
    const read = await get(`/api/v1/reports/${String(good.body.id)}`, as.observer!);
    expect(read.body.report.signature).toEqual({ keyId: 'sensor-9', verified: true });

    const head = node.journal.head;
    const bad = await post('/api/v1/reports', as.monitor!, { ...body, narrative: 'altered', signature });
    expect(bad.status).toBe(400);
    expect(bad.body.pointer).toBe('/signature/signature');
    expect(String(bad.body.detail)).toMatch(/does not verify/);
    expect(node.journal.head).toBe(head);
  });

  it('answers a retry with the same Idempotency-Key from the first filing', async () => {
    const headers = { 'idempotency-key': 'device-3-report-0042' };
    const first = await post('/api/v1/reports', as.monitor!, near({ narrative: 'retry me', type: 'small-arms' }), headers);
    const head = node.journal.head;
    const retry = await post('/api/v1/reports', as.monitor!, near({ narrative: 'retry me', type: 'small-arms' }), headers);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replay']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(node.journal.head).toBe(head);
  });

  it('makes re-importing the same externalRef a no-op that answers the first report', async () => {
    const first = await post(
      '/api/v1/reports',
      as.mediator!,
      near({ externalRef: 'ucdp-ged:900001', occurredPrecision: 'day', source: 'open-source' }),
    );
    const head = node.journal.head;
    const again = await post(
      '/api/v1/reports',
      as.mediator!,
      near({ externalRef: 'ucdp-ged:900001', occurredPrecision: 'day', source: 'open-source' }),
    );
    expect(again.status).toBe(201);
    expect(again.body.duplicate).toBe(true);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.position).toBe(first.body.position);
    expect(again.body.hash).toBe(first.body.hash);
    expect(node.journal.head).toBe(head);
  });
});

describe('need-to-know precision on reads', () => {
  let id = '';
  beforeAll(async () => {
    const res = await post(
      '/api/v1/reports',
      as.monitor!,
      near({
        location: { lon: 36.313579246, lat: 47.624680135 },
        narrative: 'precision probe',
        occurredAt: '2026-01-20T09:00:00+02:00',
        type: 'missile',
        domain: 'air',
      }),
    );
    id = String(res.body.id);
  });

  it('gives exact coordinates to the reporter’s party and to grant holders, a 5 km cell to everyone else', async () => {
    for (const who of ['monitor', 'monitor2', 'guarantor'] as const) {
      const r = (await get(`/api/v1/reports/${id}`, as[who]!)).body.report;
      expect([who, r.precision, r.location.lon, r.location.lat]).toEqual([who, 'exact', 36.313579246, 47.624680135]);
    }
    for (const who of ['mediator', 'delegate', 'observer'] as const) {
      const res = await get(`/api/v1/reports/${id}`, as[who]!);
      expect(res.body.report.precision).toBe('public');
      expect(res.text).not.toMatch(/313579|624680/);
      expect(res.body.report.location.precision_m).toBe(5000);
    }
  });

  it('filters by bbox on the coordinates the reader may see, so a small box cannot find the exact place', async () => {
    const tiny = 'bbox=36.3135,47.6246,36.3136,47.6247';
    expect((await get(`/api/v1/reports?${tiny}`, as.guarantor!)).body.reports.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await get(`/api/v1/reports?${tiny}`, as.observer!)).body.reports).toEqual([]);
    const cell = (await get(`/api/v1/reports/${id}`, as.observer!)).body.report.location as { lon: number; lat: number };
    const around = `bbox=${cell.lon - 0.001},${cell.lat - 0.001},${cell.lon + 0.001},${cell.lat + 0.001}`;
    expect((await get(`/api/v1/reports?${around}&type=missile`, as.observer!)).body.reports.map((r: { id: string }) => r.id)).toEqual([id]);
  });

  it('lists with filters and pages, newest first', async () => {
    const all = await get('/api/v1/reports?limit=2', as.observer!);
    expect(all.body.reports).toHaveLength(2);
    expect(all.body.total).toBeGreaterThan(2);
    const next = await get(`/api/v1/reports?limit=2&before=${all.body.next}`, as.observer!);
    expect(next.body.reports[0].id).not.toBe(all.body.reports[1].id);
    const missiles = await get('/api/v1/reports?type=missile&domain=air', as.observer!);
    expect(missiles.body.reports.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await get('/api/v1/reports?type=nonsense', as.observer!)).status).toBe(400);
    expect(
      (await get('/api/v1/reports?from=2026-01-20T06:00:00Z&to=2026-01-20T08:00:00Z&type=missile', as.observer!)).body.reports[0].id,
    ).toBe(id);
  });

  it('serves the map as compact columns, coarse unless the reader may read a row exactly', async () => {
    const observer = await get('/api/v1/map/incidents?type=missile', as.observer!);
    expect(observer.status).toBe(200);
    expect(observer.body.count).toBe(1);
    expect(observer.body.columns.precise).toEqual([0]);
    expect(observer.body.dictionaries.type[observer.body.columns.type[0]]).toBe('missile');
    expect(observer.text).not.toMatch(/313579|624680/);
    const monitor = await get('/api/v1/map/incidents?type=missile', as.monitor!);
    expect(monitor.body.columns.lon).toEqual([36.313579246]);
    expect(monitor.body.columns.precise).toEqual([1]);
  });

  it('exports GeoJSON (RFC 7946) and CSV of what the reader may see', async () => {
    const geo = await get('/api/v1/exports/reports.geojson?type=missile', as.observer!);
    expect(geo.headers['content-type']).toMatch(/^application\/geo\+json/);
    const fc = JSON.parse(geo.text) as {
      type: string;
      features: { type: string; geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> }[];
    };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features[0]!.geometry.type).toBe('Point');
    expect(fc.features[0]!.properties.precision).toBe('public');
    expect(geo.text).not.toMatch(/313579|624680/);
    const csv = await get('/api/v1/exports/reports.csv?type=missile', as.guarantor!);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, row] = csv.text.split('\r\n');
    expect(header!.split(',').slice(0, 4)).toEqual(['id', 'occurredAt', 'occurredPrecision', 'type']);
    expect(row).toContain('36.313579246');
    const cases = await get('/api/v1/exports/cases.geojson', as.observer!);
    expect((JSON.parse(cases.text) as { features: unknown[] }).features.length).toBeGreaterThan(0);
  });
});

describe('cases and verification over the API', () => {
  let caseId = '';
  let version = 0;
  const refresh = async () => {
    const c = (await get(`/api/v1/cases/${caseId}`, as.observer!)).body.case;
    version = c.version;
    return c;
  };

  beforeAll(async () => {
    const a = await post(
      '/api/v1/reports',
      as.monitor!,
      near({
        location: { lon: 37.0, lat: 48.2 },
        occurredAt: '2026-01-20T10:00:00+02:00',
        narrative: 'Monitors saw impacts on the school.',
        casualties: [{ category: 'civilian', outcome: 'injured', count: 2 }],
      }),
    );
    caseId = String(a.body.caseId);
    const claim = await post(
      '/api/v1/reports',
      as.delegate!,
      near({
        location: { lon: 37.005, lat: 48.205 },
        occurredAt: '2026-01-20T10:10:00+02:00',
        source: 'party-claim',
        narrative: 'Ukraine states the fire came from the east.',
      }),
    );
    expect(claim.body.caseId).toBe(caseId);
    await refresh();
  });

  it('shows claims and observations apart, with the explanation of the grouping', async () => {
    const c = await refresh();
    expect(c.observations.map((r: { narrative: string }) => r.narrative)).toEqual(['Monitors saw impacts on the school.']);
    expect(c.claims.map((r: { narrative: string }) => r.narrative)).toEqual(['Ukraine states the fire came from the east.']);
    expect(c.explanations[1].text).toMatch(/^grouped by rule R1: \d+ m, 10 min apart, both shelling-impact$/);
    expect(c.transitions).toEqual(['under-investigation']);
    expect(c.casualties).toEqual({ killed: 0, injured: 2 });
  });

  it('lets one investigator lock the case; the second gets a 409 naming who holds it until when', async () => {
    const locked = await post(`/api/v1/cases/${caseId}/lock`, as.monitor!, { version, minutes: 20 });
    expect(locked.status).toBe(201);
    version = locked.body.version as unknown as number;
    const second = await post(`/api/v1/cases/${caseId}/lock`, as.monitor2!, { version });
    expect(second.status).toBe(409);
    expect(second.body.detail).toMatch(/locked for review by monitor-user until 2026-01-21T12:20:00.000Z/);
    expect(second.body.lockedBy).toBe('monitor-user');
  });

  it('moves the case through verification with versions; a stale version and a wrong move are refused', async () => {
    const stale = await post(`/api/v1/cases/${caseId}/status`, as.monitor!, { version: version - 1, to: 'under-investigation' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('conflict');
    const wrong = await post(`/api/v1/cases/${caseId}/status`, as.monitor!, { version, to: 'verified' });
    expect(wrong.status).toBe(409);
    expect(wrong.body.code).toBe('invalid_transition');
    const forbidden = await post(`/api/v1/cases/${caseId}/status`, as.delegate!, { version, to: 'under-investigation' });
    expect(forbidden.status).toBe(403);

    let r = await post(`/api/v1/cases/${caseId}/status`, as.monitor!, { version, to: 'under-investigation' });
    expect(r.status).toBe(201);
    version = r.body.version as unknown as number;
    r = await post(`/api/v1/cases/${caseId}/findings`, as.monitor!, {
      version,
      attribution: { party: 'ru', confidence: 'medium' },
      summary: 'Crater analysis: fired from the south-east.',
      severity: 3,
    });
    expect(r.status).toBe(201);
    const findingId = r.body.findingId;
    version = r.body.version as unknown as number;
    r = await post(`/api/v1/cases/${caseId}/status`, as.monitor!, { version, to: 'verified', reason: 'two sources, craters examined' });
    expect(r.status).toBe(201);
    version = r.body.version as unknown as number;

    const dissent = await post(`/api/v1/cases/${caseId}/dissents`, as.delegate!, {
      version,
      text: 'Ukraine disputes the confidence: the fire came from a known position.',
      findingId,
    });
    expect(dissent.status).toBe(201);
    const c = await refresh();
    expect(c.status).toBe('verified');
    expect(c.attribution).toEqual({ party: 'ru', confidence: 'medium' });
    expect(c.dissents.map((d: { party: string }) => d.party)).toEqual(['ua']);
    expect(c.history.map((h: { type: string }) => h.type)).toEqual([
      'case.opened',
      'case.report-added',
      'case.locked',
      'case.status-changed',
      'case.finding-recorded',
      'case.status-changed',
      'case.dissent-recorded',
    ]);
  });

  it('shows the public only verified cases, at public precision, with the day', async () => {
    const res = await get('/api/v1/public/cases');
    expect(res.status).toBe(200);
    const mine = res.body.cases.find((c: { id: string }) => c.id === caseId);
    expect(mine).toMatchObject({
      status: 'verified',
      occurredOn: '2026-01-20',
      precision_m: 5000,
      attribution: { party: 'ru', confidence: 'medium' },
    });
    expect(res.body.cases.every((c: { status: string }) => c.status === 'verified')).toBe(true);
    expect(res.text).not.toMatch(/37\.005|48\.205|narrative/);
  });

  it('lets the mediator merge and split, and nobody else', async () => {
    const a = await post(
      '/api/v1/reports',
      as.monitor!,
      near({ location: { lon: 38.5, lat: 48.0 }, type: 'naval', domain: 'sea', occurredAt: '2026-01-20T01:00:00Z' }),
    );
    const b = await post(
      '/api/v1/reports',
      as.monitor!,
      near({ location: { lon: 38.9, lat: 48.0 }, type: 'naval', domain: 'sea', occurredAt: '2026-01-20T01:00:00Z' }),
    );
    expect(a.body.caseId).not.toBe(b.body.caseId);
    const ca = (await get(`/api/v1/cases/${String(a.body.caseId)}`, as.mediator!)).body.case;
    const cb = (await get(`/api/v1/cases/${String(b.body.caseId)}`, as.mediator!)).body.case;
    const body = { version: ca.version, cases: [{ id: cb.id, version: cb.version }], reason: 'one vessel seen twice' };
    expect((await post(`/api/v1/cases/${ca.id}/merge`, as.monitor!, body)).status).toBe(403);
    const merged = await post(`/api/v1/cases/${ca.id}/merge`, as.mediator!, body);
    expect(merged.status).toBe(201);
    const after = (await get(`/api/v1/cases/${ca.id}`, as.mediator!)).body.case;
    expect(after.reportCount).toBe(2);
    expect(after.absorbed).toEqual([{ id: cb.id, number: cb.number }]);
    const split = await post(`/api/v1/cases/${ca.id}/split`, as.mediator!, {
      version: after.version,
      reportIds: [b.body.id],
      reason: 'two vessels after all',
    });
    expect(split.status).toBe(201);
    const fresh = (await get(`/api/v1/cases/${String(split.body.newCaseId)}`, as.mediator!)).body.case;
    expect(fresh.splitFrom).toBe(ca.id);
    expect(fresh.explanations[0].text).toMatch(/^split from case \d+ by mediator-user: two vessels after all$/);
    const list = await get('/api/v1/cases?type=naval', as.observer!);
    expect(list.body.cases.map((c: { id: string }) => c.id).sort()).toEqual([ca.id, fresh.id].sort());
  });

  it('records access denials as their own events and lists them, coarse for others', async () => {
    const res = await post('/api/v1/access-denials', as.monitor!, {
      occurredAt: '2026-01-20T11:30:00+02:00',
      location: { lon: 37.551234567, lat: 47.101234567 },
      deniedBy: 'ru',
      place: 'checkpoint west of Mariupol',
      durationMinutes: 180,
      caseId,
      narrative: 'Patrol held for three hours.',
    });
    expect(res.status).toBe(201);
    const list = await get('/api/v1/access-denials', as.observer!);
    expect(list.body.accessDenials[0]).toMatchObject({
      place: 'checkpoint west of Mariupol',
      precision: 'public',
      deniedBy: 'ru',
      durationMinutes: 180,
    });
    expect(list.text).not.toMatch(/551234567|101234567/);
    const c = await refresh();
    expect(c.accessDenials.map((a: { place: string }) => a.place)).toEqual(['checkpoint west of Mariupol']);
  });

  it('writes the daily report: counts by type, area and source, notable incidents, access restrictions', async () => {
    const res = await get('/api/v1/daily-report?cutoff=2026-01-21T00:00:00Z', as.observer!);
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.from).toBe('2026-01-20T00:00:00.000Z');
    expect(d.totals.reports).toBeGreaterThan(3);
    expect(d.byType.find((t: { type: string }) => t.type === 'shelling-impact').count).toBeGreaterThan(1);
    expect(d.byArea.map((a: { area: string }) => a.area)).toContain('Донецька область');
    expect(d.bySource.map((s: { source: string }) => s.source)).toContain('party-claim');
    const notable = d.notable.find((n: { caseId: string }) => n.caseId === caseId);
    expect(notable.reasons).toEqual(expect.arrayContaining(['casualties', 'verified', 'claims and observations']));
    expect(notable.narrative).toBe('Monitors saw impacts on the school.');
    expect(d.accessRestrictions.denials[0].place).toBe('checkpoint west of Mariupol');
    expect(d.casualties).toEqual([{ category: 'civilian', outcome: 'injured', count: 2 }]);
    // The public edition: the same counts, no narratives.
    const pub = await get('/api/v1/daily-report?cutoff=2026-01-21T00:00:00Z');
    expect(pub.status).toBe(200);
    expect(pub.body.audience).toBe('public');
    expect(pub.body.totals).toEqual(d.totals);
    expect(pub.body.notable.every((n: { narrative: string | null }) => n.narrative === null)).toBe(true);
  });

  it('reads and replaces the correlation rules (mediator only)', async () => {
    const rules = (await get('/api/v1/correlation-rules', as.observer!)).body.rules;
    expect(rules[0].id).toBe('R1');
    expect(
      (await node.app.inject({ method: 'PUT', url: '/api/v1/correlation-rules', headers: as.monitor!, payload: { rules } })).statusCode,
    ).toBe(403);
    const wider = rules.map((r: { id: string; maxDistance_m: number }) => (r.id === 'R1' ? { ...r, maxDistance_m: 3000 } : r));
    const put = await node.app.inject({
      method: 'PUT',
      url: '/api/v1/correlation-rules',
      headers: as.mediator!,
      payload: { rules: wider },
    });
    expect(put.statusCode).toBe(201);
    const now = (await get('/api/v1/correlation-rules', as.observer!)).body;
    expect(now.rules[0].maxDistance_m).toBe(3000);
    expect(now.setBy).toBe('mediator-user');
    const dup = await node.app.inject({
      method: 'PUT',
      url: '/api/v1/correlation-rules',
      headers: as.mediator!,
      payload: { rules: [rules[0], rules[0]] },
    });
    expect(dup.statusCode).toBe(400);
  });
});
