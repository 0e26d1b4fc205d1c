import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aReport, testNode, type TestNode } from '../../test/factories';
import { subscribe } from '../../test/sse';

let node: TestNode;
let url: string;
beforeAll(async () => {
  node = await testNode();
  url = await node.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await node.close();
});

describe('live stream', () => {
  it('streams each subscriber only what it may see', async () => {
    const admin = await node.signIn('admin-user');
    const delegate = await node.signIn('delegate-user');
    const monitor = await node.signIn('monitor-user');
    const adminStream = subscribe(`${url}/api/v1/stream`, { cookie: admin.cookie });
    const delegateStream = subscribe(`${url}/api/v1/stream`, { cookie: delegate.cookie });
    const publicStream = subscribe(`${url}/api/v1/stream`);
    await new Promise((r) => setTimeout(r, 200));

    // An admin-only event (a grant), then a process-wide one (a report).
    const grant = await node.app.inject({ method: 'POST', url: '/api/v1/grants', headers: admin.headers, payload: { username: 'delegate-user', grant: 'exact-coordinates' } });
    expect(grant.statusCode).toBe(201);
    const filed = await node.app.inject({ method: 'POST', url: '/api/v1/reports', headers: monitor.headers, payload: aReport() });
    // The answer names the exact `report.filed` (need-to-know); every participant reads its coarse twin, next.
    const reportPosition = String((filed.json() as { position: number }).position + 1);

    await delegateStream.waitFor((e) => e.id === reportPosition, 1000);
    await adminStream.waitFor((e) => e.id === reportPosition, 1000);
    const grantPosition = String((grant.json() as { position: number }).position);
    expect(adminStream.events.some((e) => e.id === grantPosition)).toBe(true);
    expect(delegateStream.events.some((e) => e.id === grantPosition)).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(publicStream.events.filter((e) => e.event === 'journal')).toEqual([]);
    for (const s of [adminStream, delegateStream, publicStream]) s.close();
  });

  it('resumes from Last-Event-ID with what was missed', async () => {
    const monitor = await node.signIn('monitor-user');
    const first = await node.app.inject({ method: 'POST', url: '/api/v1/reports', headers: monitor.headers, payload: aReport({ narrative: 'before the gap' }) });
    const from = (first.json() as { position: number }).position;
    const missed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await node.app.inject({ method: 'POST', url: '/api/v1/reports', headers: monitor.headers, payload: aReport({ narrative: `missed ${i}` }) });
      missed.push(String((r.json() as { position: number }).position));
    }
    const resumed = subscribe(`${url}/api/v1/stream`, { cookie: monitor.cookie, 'last-event-id': String(from) });
    await resumed.waitFor((e) => e.id === missed[2], 1000);
    // Each report is several events (exact, coarse, its case); the exact ones mark the reports.
    const filedIds = resumed.events.filter((e) => e.event === 'journal' && (JSON.parse(e.data) as { type: string }).type === 'report.filed').map((e) => e.id);
    expect(filedIds).toEqual(missed);
    resumed.close();
  });
});
