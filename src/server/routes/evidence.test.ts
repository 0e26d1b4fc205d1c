import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInEach, testNode, type TestNode } from '../../../test/factories';
import { fileOrikhivCase, jpegWithExif, PDF, sha256, tusUpload } from '../../../test/evidence-fixtures';
import { seedFrameworks } from '../../../test/operations-fixtures';

let node: TestNode;
let monitor: Record<string, string>;
let delegate: Record<string, string>;
let mediator: Record<string, string>;
let observer: Record<string, string>;
let guarantor: Record<string, string>;
let caseId: string;

const photo = jpegWithExif(
  { takenAt: '2026:01:07 05:40:00', offset: '+02:00', position: { lon: 35.93, lat: 47.47 }, make: 'Canon', model: 'EOS R6' },
  'crater at the school',
);

function capture(over: Record<string, unknown> = {}) {
  return {
    sha256: sha256(photo),
    filename: 'crater.jpg',
    mediaType: 'image/jpeg',
    caseId,
    deviceTime: '2026-01-07T05:41:00+02:00',
    position: { lon: 35.9301, lat: 47.4702, accuracy_m: 10 },
    purpose: 'shelling impact at Orikhiv school',
    ...over,
  };
}

async function submit(headers: Record<string, string>, bytes: Buffer, body: Record<string, unknown>, extra: Record<string, string> = {}) {
  const upload = await tusUpload(node.app, headers, bytes);
  return node.app.inject({
    method: 'POST',
    url: '/api/v1/evidence/items',
    headers: { ...headers, ...extra },
    payload: { upload, ...body },
  });
}

function files(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
  } catch {
    return [];
  }
}

beforeAll(async () => {
  node = await testNode({ now: () => new Date('2026-01-07T09:00:00Z') });
  await seedFrameworks(node.journal);
  ({ monitor, delegate, mediator, observer, guarantor } = await signInEach(node, {
    monitor: 'monitor-user',
    delegate: 'delegate-user',
    mediator: 'mediator-user',
    observer: 'observer-user',
    guarantor: 'guarantor-user',
  }));
  caseId = await fileOrikhivCase(node.app, monitor);
});
afterAll(async () => {
  await node.close();
});

describe('evidence capture', () => {
  it('stores an original whose device hash matches the bytes, with EXIF and both hashes recorded', async () => {
    const res = await submit(delegate, photo, capture());
    expect(res.statusCode).toBe(201);
    const body = res.json() as {
      id: string;
      sha256: string;
      clientSha256: string;
      hashesMatch: boolean;
      mediaType: string;
      flags: unknown[];
    };
    expect(body.sha256).toBe(sha256(photo));
    expect(body.clientSha256).toBe(sha256(photo));
    expect(body.mediaType).toBe('image/jpeg');
    expect(body.flags).toEqual([]);
    const stored = readFileSync(node.services.evidence.blobs.pathOf(body.sha256));
    expect(sha256(stored)).toBe(body.sha256);
    expect(statSync(node.services.evidence.blobs.pathOf(body.sha256)).mode & 0o222).toBe(0);

    const opened = await node.app.inject({ method: 'GET', url: `/api/v1/evidence/items/${body.id}?purpose=triage`, headers: monitor });
    expect(opened.statusCode).toBe(200);
    const item = opened.json() as {
      capture: { exif: { takenAt: string; offset: string; make: string; position: { lon: number; lat: number } }; receivedAt: string };
      custody: { type: string; actor: string; purpose: string }[];
    };
    expect(item.capture.exif.takenAt).toBe('2026:01:07 05:40:00');
    expect(item.capture.exif.offset).toBe('+02:00');
    expect(item.capture.exif.make).toBe('Canon');
    expect(item.capture.exif.position.lat).toBeCloseTo(47.47, 3);
    expect(item.capture.receivedAt).toBe('2026-01-07T09:00:00.000Z');
    expect(item.custody.map((c) => [c.type, c.actor, c.purpose])).toEqual([
      ['evidence.captured', 'delegate-user', 'shelling impact at Orikhiv school'],
      ['evidence.viewed', 'monitor-user', 'triage'],
    ]);
  });

  it('flags EXIF that disagrees with the device, and keeps every value', async () => {
    const far = jpegWithExif({ takenAt: '2026:01:03 12:00:00', offset: '+02:00', position: { lon: 37.8, lat: 48.58 } }, 'older photo');
    const res = await submit(delegate, far, capture({ sha256: sha256(far), filename: 'older.jpg' }));
    expect(res.statusCode).toBe(201);
    const flags = (res.json() as { flags: { code: string }[] }).flags.map((f) => f.code).sort();
    expect(flags).toEqual(['exif-position-differs', 'exif-time-differs']);
  });

  it('refuses a hash mismatch and stores nothing', async () => {
    const before = node.journal.head;
    const blobs = files(node.services.evidence.blobs.root).length;
    const other = jpegWithExif({}, 'changed in transit');
    const res = await submit(delegate, other, capture({ filename: 'x.jpg' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(
      /^hash mismatch: the device computed sha256 [0-9a-f]{64} but the \d+ bytes received hash to [0-9a-f]{64}/,
    );
    expect(res.json().pointer ?? res.json().instance ?? '/sha256').toBeDefined();
    expect(node.journal.head).toBe(before);
    expect(files(node.services.evidence.blobs.root).length).toBe(blobs);
    expect(files(node.services.evidence.uploadDir)).toEqual([]);
  });

  it('refuses a truncated upload, keeps it resumable, and accepts it once resumed', async () => {
    const before = node.journal.head;
    const upload = await tusUpload(node.app, delegate, photo, { send: 10 });
    const res = await node.app.inject({
      method: 'POST',
      url: '/api/v1/evidence/items',
      headers: delegate,
      payload: { upload, ...capture() },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toBe(
      `truncated upload: 10 of ${photo.length} bytes received; resume it (tus HEAD then PATCH from offset 10) before submitting — nothing was stored`,
    );
    expect(node.journal.head).toBe(before);
    const head = await node.app.inject({
      method: 'HEAD',
      url: `/api/v1/evidence/uploads/${upload}`,
      headers: { ...delegate, 'tus-resumable': '1.0.0' },
    });
    expect(head.headers['upload-offset']).toBe('10');
    const rest = await node.app.inject({
      method: 'PATCH',
      url: `/api/v1/evidence/uploads/${upload}`,
      headers: { ...delegate, 'tus-resumable': '1.0.0', 'upload-offset': '10', 'content-type': 'application/offset+octet-stream' },
      payload: photo.subarray(10),
    });
    expect(rest.statusCode).toBe(204);
    const done = await node.app.inject({
      method: 'POST',
      url: '/api/v1/evidence/items',
      headers: delegate,
      payload: { upload, ...capture({ purpose: 'resumed upload' }) },
    });
    expect(done.statusCode).toBe(201);
  });

  it('refuses a file that lies about its type, naming what its bytes are', async () => {
    const before = node.journal.head;
    const res = await submit(delegate, PDF, capture({ sha256: sha256(PDF), filename: 'photo.jpg', mediaType: 'image/jpeg' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toBe(
      'photo.jpg is declared as image/jpeg but its bytes are a PDF document (application/pdf): the file lies about its type',
    );
    expect(node.journal.head).toBe(before);
  });

  it('refuses an oversize file at upload creation', async () => {
    const res = await node.app.inject({
      method: 'POST',
      url: '/api/v1/evidence/uploads',
      headers: { ...delegate, 'tus-resumable': '1.0.0', 'upload-length': String(node.services.evidence.maxBytes + 1) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toBe(
      `the file is ${node.services.evidence.maxBytes + 1} bytes; the limit is ${node.services.evidence.maxBytes} bytes`,
    );
  });

  it('keeps uploads to their owner and to people who may submit', async () => {
    const upload = await tusUpload(node.app, delegate, photo);
    const other = await node.app.inject({
      method: 'HEAD',
      url: `/api/v1/evidence/uploads/${upload}`,
      headers: { ...monitor, 'tus-resumable': '1.0.0' },
    });
    expect(other.statusCode).toBe(404);
    const anonymous = await node.app.inject({
      method: 'POST',
      url: '/api/v1/evidence/uploads',
      headers: { 'tus-resumable': '1.0.0', 'upload-length': '10' },
    });
    expect(anonymous.statusCode).toBe(401);
    const noCsrf = await node.app.inject({
      method: 'POST',
      url: '/api/v1/evidence/uploads',
      headers: { cookie: delegate.cookie!, 'tus-resumable': '1.0.0', 'upload-length': '10' },
    });
    expect(noCsrf.statusCode).toBe(403);
    const readBack = await node.app.inject({ method: 'GET', url: `/api/v1/evidence/uploads/${upload}`, headers: delegate });
    expect(readBack.statusCode).toBe(422);
    const observerUpload = await node.app.inject({
      method: 'POST',
      url: '/api/v1/evidence/uploads',
      headers: { ...observer, 'tus-resumable': '1.0.0', 'upload-length': '10' },
    });
    expect(observerUpload.statusCode).toBe(403);
  });

  it("does not store the reporter's network address, and seals a reporter identity for the mechanism only", async () => {
    const address = '203.0.113.77';
    const forwarded = '198.51.100.23';
    const bytes = jpegWithExif({ takenAt: '2026:01:07 05:45:00' }, 'witness photo');
    const upload = await tusUpload(node.app, delegate, bytes, { remoteAddress: address, extra: { 'x-forwarded-for': forwarded } });
    const res = await node.app.inject({
      method: 'POST',
      url: '/api/v1/evidence/items',
      headers: { ...delegate, 'x-forwarded-for': forwarded },
      remoteAddress: address,
      payload: {
        upload,
        ...capture({ sha256: sha256(bytes), filename: 'witness.jpg', reporter: { name: 'Olena Kovalenko', contact: '+380 50 000 0000' } }),
      },
    });
    expect(res.statusCode).toBe(201);
    const id = (res.json() as { id: string }).id;
    const journalText = (await node.store.read(0, 100_000)).map((e) => JSON.stringify(e)).join('\n');
    const stored = [...files(node.services.evidence.blobs.root), ...files(node.services.evidence.uploadDir)]
      .map((f) => readFileSync(f, 'latin1'))
      .join('\n');
    for (const text of [journalText, stored]) {
      expect(text).not.toContain(address);
      expect(text).not.toContain(forwarded);
      expect(text).not.toContain('Olena');
    }
    const asMediator = await node.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/items/${id}/reporter`,
      headers: mediator,
      payload: { purpose: 'curious' },
    });
    expect(asMediator.statusCode).toBe(403);
    const seen = await node.app.inject({ method: 'GET', url: `/api/v1/evidence/items/${id}?purpose=review`, headers: delegate });
    expect((seen.json() as { reporterSealed: boolean | null }).reporterSealed).toBeNull();
    const opened = await node.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/items/${id}/reporter`,
      headers: monitor,
      payload: { purpose: 'follow-up interview' },
    });
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toEqual({ reporter: { name: 'Olena Kovalenko', contact: '+380 50 000 0000' } });
    const timeline = await node.app.inject({ method: 'GET', url: `/api/v1/evidence/items/${id}?purpose=review`, headers: monitor });
    expect((timeline.json() as { custody: { type: string }[] }).custody.map((c) => c.type)).toContain('evidence.reporter-unsealed');
  });
});

describe('evidence custody over HTTP', () => {
  let id: string;
  beforeAll(async () => {
    const bytes = jpegWithExif({ takenAt: '2026:01:07 05:50:00', offset: '+02:00' }, 'custody photo');
    const res = await submit(delegate, bytes, capture({ sha256: sha256(bytes), filename: 'custody.jpg' }));
    id = (res.json() as { id: string }).id;
  });

  it('requires a purpose to open or download, and records the download before sending the bytes', async () => {
    const noPurpose = await node.app.inject({ method: 'GET', url: `/api/v1/evidence/items/${id}/content`, headers: monitor });
    expect(noPurpose.statusCode).toBe(400);
    expect(noPurpose.json().detail).toContain('/query/purpose');
    const before = node.journal.image.evidence.items.get(id)!.version;
    const got = await node.app.inject({
      method: 'GET',
      url: `/api/v1/evidence/items/${id}/content?purpose=technical%20analysis`,
      headers: monitor,
    });
    expect(got.statusCode).toBe(200);
    expect(sha256(got.rawPayload)).toBe(got.headers['x-content-sha256']);
    const item = node.journal.image.evidence.items.get(id)!;
    expect(item.version).toBe(before + 1);
    expect(item.custody.at(-1)).toMatchObject({ type: 'evidence.downloaded', actor: 'monitor-user', purpose: 'technical analysis' });
  });

  it('hides the item from readers outside its readers, as if it did not exist', async () => {
    // The guarantor's party (us) is not among the readers of an item ua submitted.
    const res = await node.app.inject({ method: 'GET', url: `/api/v1/evidence/items/${id}?purpose=look`, headers: guarantor });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toBe(`no evidence item ${id}`);
    const list = await node.app.inject({ method: 'GET', url: `/api/v1/evidence/items?case=${caseId}`, headers: guarantor });
    expect((list.json() as { items: unknown[] }).items).toEqual([]);
    // Nor do its custody events reach the guarantor through the journal API, while others' do reach the mechanism.
    const typesFor = async (headers: Record<string, string>) =>
      (
        (await node.app.inject({ method: 'GET', url: '/api/v1/journal?limit=500', headers })).json() as {
          events: { type: string; stream: string }[];
        }
      ).events
        .filter((ev) => ev.stream === `evidence/${id}`)
        .map((ev) => ev.type);
    expect(await typesFor(guarantor)).toEqual([]);
    expect(await typesFor(monitor)).toContain('evidence.captured');
    const granted = await node.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/items/${id}/access`,
      headers: monitor,
      payload: { grant: ['party:us'], purpose: 'guarantor assessment' },
    });
    expect(granted.statusCode).toBe(201);
    const now = await node.app.inject({ method: 'GET', url: `/api/v1/evidence/items/${id}?purpose=assessment`, headers: guarantor });
    expect(now.statusCode).toBe(200);
  });

  it('records verifications and challenges as linked records', async () => {
    const v = await node.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/items/${id}/verifications`,
      headers: monitor,
      payload: {
        kind: 'content',
        performedOn: '2026-01-08',
        method: 'shadow and landmark geolocation',
        finding: 'matches the school yard',
        conclusion: 'consistent',
      },
    });
    expect(v.statusCode).toBe(201);
    const record = node.journal.image.evidence.items.get(id)!.verifications[0]!.id;
    const c = await node.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/items/${id}/challenges`,
      headers: delegate,
      payload: { kind: 'counter-claim', refersTo: record, text: 'a second angle shows the same crater' },
    });
    expect(c.statusCode).toBe(201);
    const bad = await node.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/items/${id}/verifications`,
      headers: monitor,
      payload: { kind: 'content', performedOn: '8 Jan', method: 'x', finding: 'y', conclusion: 'consistent' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/^\/performedOn: a calendar date, YYYY-MM-DD/);
  });

  it('publishes a derivative only; the public sees it and never the original', async () => {
    const refused = await node.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/items/${id}/publish`,
      headers: mediator,
      payload: { purpose: 'public report' },
    });
    expect(refused.statusCode).toBe(422);
    const redacted = jpegWithExif({}, 'faces blurred');
    const upload = await tusUpload(node.app, monitor, redacted);
    const d = await node.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/items/${id}/derivatives`,
      headers: monitor,
      payload: {
        upload,
        sha256: sha256(redacted),
        filename: 'custody-redacted.jpg',
        mediaType: 'image/jpeg',
        action: 'redaction',
        description: 'faces and number plates blurred',
        purpose: 'publication',
      },
    });
    expect(d.statusCode).toBe(201);
    const derived = (d.json() as { id: string }).id;
    const before = await node.app.inject({ method: 'GET', url: '/api/v1/evidence/public' });
    expect((before.json() as { items: unknown[] }).items).toEqual([]);
    const published = await node.app.inject({
      method: 'POST',
      url: `/api/v1/evidence/items/${derived}/publish`,
      headers: mediator,
      payload: { purpose: 'public report' },
    });
    expect(published.statusCode).toBe(201);
    const pub = (await node.app.inject({ method: 'GET', url: '/api/v1/evidence/public' })).json() as {
      items: { id: string; sha256: string; action: string }[];
    };
    expect(pub.items.map((i) => [i.id, i.action])).toEqual([[derived, 'redaction']]);
    const file = await node.app.inject({ method: 'GET', url: `/api/v1/evidence/public/${derived}/content` });
    expect(sha256(file.rawPayload)).toBe(sha256(redacted));
    const original = await node.app.inject({ method: 'GET', url: `/api/v1/evidence/public/${id}/content` });
    expect(original.statusCode).toBe(404);
    const parent = node.journal.image.evidence.items.get(id)!;
    expect(parent.derivatives).toEqual([derived]);
    expect(parent.custody.map((c) => c.type)).toContain('evidence.derivative-made');
  });

  it('no route changes or deletes an original', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const res = await node.app.inject({ method, url: `/api/v1/evidence/items/${id}`, headers: mediator, payload: {} });
      expect(res.statusCode).toBe(404);
    }
    const sha = node.journal.image.evidence.items.get(id)!.file.sha256;
    expect(sha256(readFileSync(node.services.evidence.blobs.pathOf(sha)))).toBe(sha);
  });
});
