import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '../../src/core/access/roles';
import {
  decideAccess,
  decideCapture,
  decideChallenge,
  decideDerivative,
  decidePublish,
  decideRead,
  decideTransfer,
  decideVerification,
} from '../../src/core/evidence/custody';
import { CaptureInput } from '../../src/core/evidence/model';
import type { Result } from '../../src/core/errors';
import type { EventDraft } from '../../src/core/journal/envelope';
import { BlobStore } from '../../src/runtime/evidence/blob-store';
import { readExif } from '../../src/runtime/evidence/exif';
import type { ReporterSeal } from '../../src/runtime/evidence/seal';
import type { Journal } from '../../src/runtime/journal';
import { jpegWithExif } from './evidence-files';

/**
 * Evidence in the demo, on the Orikhiv shelling of 7 January (the first case): the mechanism's photo of
 * the crater (camera, device and server agree) with a technical and a content analysis, a redacted copy
 * published for the public; Ukraine's photo of the damaged building with a sealed witness identity;
 * the Russian Federation's photo whose EXIF time is two days before the incident (flagged, kept), which
 * the mechanism analyses and Ukraine challenges; views, a download, a transfer to the secretariat.
 * ILLUSTRATIVE: the photos are EXIF and a caption, not pictures.
 */

const who = (username: string, party: string, roles: Principal['roles']): Principal => ({
  kind: 'user',
  id: username,
  username,
  party,
  roles,
  grants: [],
  scopes: null,
});
const MONITOR = who('monitor', 'mechanism', ['monitor']);
const UA = who('ua-delegate', 'ua', ['delegate', 'signer']);
const RU = who('ru-delegate', 'ru', ['delegate', 'signer']);
const MEDIATOR = who('mediator', 'secretariat', ['mediator']);

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export interface EvidenceDemoOptions {
  /** Where the node keeps its blobs (`<data>/evidence/blobs`). */
  readonly blobs: BlobStore;
  readonly seal?: ReporterSeal;
  readonly now?: () => Date;
}

export async function seedEvidenceDemo(journal: Journal, options: EvidenceDemoOptions): Promise<string[]> {
  const now = options.now ?? (() => new Date());
  const append = async (drafts: Result<EventDraft[]>, by: Principal) => {
    if (!drafts.ok) throw new Error(`evidence demo is inconsistent: ${drafts.message}`);
    const r = await journal.append({ drafts: drafts.value, actor: by.username, party: by.party });
    if (!r.ok) throw new Error(`evidence demo could not be appended: ${r.message}`);
  };
  const cases = [...journal.image.operations.cases.values()].sort((a, b) => a.number - b.number);
  const orikhiv = cases[0]?.id ?? null;
  const scratch = mkdtempSync(join(options.blobs.root, '..', 'demo-'));
  const ids: string[] = [];

  const capture = async (by: Principal, bytes: Buffer, input: Record<string, unknown>, reporter?: { name: string; contact: string }) => {
    const path = join(scratch, randomUUID());
    writeFileSync(path, bytes);
    await options.blobs.put(path, sha(bytes));
    const id = randomUUID();
    const parsed = CaptureInput.parse({ upload: 'demo-upload', sha256: sha(bytes), caseId: orikhiv, ...input });
    const sealed = reporter && options.seal ? await options.seal.seal(reporter) : null;
    await append(
      decideCapture(journal.image.evidence, by, parsed, {
        id,
        sha256: sha(bytes),
        bytes: bytes.length,
        mediaType: 'image/jpeg',
        exif: await readExif(path, 'image/jpeg'),
        receivedAt: now().toISOString(),
        reporter: sealed,
      }),
      by,
    );
    ids.push(id);
    return id;
  };

  try {
    const crater = await capture(
      MONITOR,
      jpegWithExif(
        { takenAt: '2026:01:07 07:55:00', offset: '+02:00', position: { lon: 35.9433, lat: 47.4633 }, make: 'Canon', model: 'EOS R6' },
        'Crater 1.2 m across in the school yard, Orikhiv; fragments of a 152 mm shell.',
      ),
      {
        filename: 'orikhiv-crater-0755.jpg',
        mediaType: 'image/jpeg',
        deviceTime: '2026-01-07T07:55:40+02:00',
        position: { lon: 35.9432, lat: 47.4634, accuracy_m: 8 },
        purpose: 'crater analysis at the Orikhiv school',
      },
    );
    const building = await capture(
      UA,
      jpegWithExif(
        { takenAt: '2026:01:07 06:20:00', offset: '+02:00', position: { lon: 35.9441, lat: 47.4629 }, make: 'Samsung', model: 'SM-A546B' },
        'Damaged residential building, Orikhiv; windows blown out.',
      ),
      {
        filename: 'orikhiv-building.jpg',
        mediaType: 'image/jpeg',
        deviceTime: '2026-01-07T06:21:00+02:00',
        position: { lon: 35.944, lat: 47.463, accuracy_m: 25 },
        purpose: "a resident's photo, forwarded by the regional administration",
      },
      { name: 'Resident of vul. Tsentralna (illustrative)', contact: 'through the regional administration' },
    );
    const counter = await capture(
      RU,
      jpegWithExif(
        { takenAt: '2026:01:05 14:10:00', offset: '+03:00', position: { lon: 35.99, lat: 47.44 }, make: 'Xiaomi', model: '13T' },
        'Mortar position said to be Ukrainian, south-east of Orikhiv.',
      ),
      {
        filename: 'mortar-position.jpg',
        mediaType: 'image/jpeg',
        deviceTime: '2026-01-07T06:30:00+03:00',
        position: { lon: 35.941, lat: 47.466, accuracy_m: 30 },
        purpose: 'counter-claim: origin of the fire',
      },
    );

    const e = () => journal.image.evidence;
    await append(decideRead(e(), MONITOR, crater, 'viewed', 'triage of the Orikhiv case'), MONITOR);
    await append(decideRead(e(), MONITOR, crater, 'downloaded', 'technical analysis (error level, metadata)'), MONITOR);
    await append(
      decideVerification(
        e(),
        MONITOR,
        crater,
        {
          kind: 'technical',
          performedOn: '2026-01-08',
          method: 'EXIF against device log; error-level analysis; hash checked',
          finding: 'No sign of editing; camera and device agree on time (40 s) and place (14 m).',
          conclusion: 'consistent',
          purpose: 'verification',
        },
        randomUUID(),
      ),
      MONITOR,
    );
    await append(
      decideVerification(
        e(),
        MONITOR,
        crater,
        {
          kind: 'content',
          performedOn: '2026-01-08',
          method: 'Crater analysis: shape, fuze furrow, fragment pattern',
          finding: 'Impact from the south-east; fragments consistent with 152 mm.',
          conclusion: 'consistent',
          purpose: 'verification',
        },
        randomUUID(),
      ),
      MONITOR,
    );
    await append(decideAccess(e(), MONITOR, building, ['party:ru'], [], 'right of reply of the accused party'), MONITOR);
    await append(decideAccess(e(), MONITOR, crater, ['party:ru'], [], 'right of reply of the accused party'), MONITOR);
    await append(decideAccess(e(), MONITOR, counter, ['party:ua'], [], 'right of reply'), MONITOR);
    await append(decideRead(e(), MONITOR, counter, 'viewed', 'assess the counter-claim'), MONITOR);
    const source = randomUUID();
    await append(
      decideVerification(
        e(),
        MONITOR,
        counter,
        {
          kind: 'source',
          performedOn: '2026-01-09',
          method: 'EXIF time and place against the claim',
          finding: 'The camera dates the photo to 5 January, two days before the incident, 4 km from the place the device reported.',
          conclusion: 'inconsistent',
          purpose: 'verification',
        },
        source,
      ),
      MONITOR,
    );
    await append(decideRead(e(), UA, counter, 'viewed', 'prepare a reply'), UA);
    await append(
      decideChallenge(
        e(),
        UA,
        counter,
        { kind: 'challenge', refersTo: null, text: 'The photo predates the incident; it cannot show the origin of the fire on 7 January.' },
        randomUUID(),
      ),
      UA,
    );
    await append(
      decideChallenge(
        e(),
        RU,
        counter,
        { kind: 'counter-claim', refersTo: source, text: 'The camera clock was wrong; the device time is the right one.' },
        randomUUID(),
      ),
      RU,
    );

    const redactedBytes = jpegWithExif({}, 'Crater in the school yard, Orikhiv (people and number plates blurred for publication).');
    const redactedPath = join(scratch, 'redacted');
    writeFileSync(redactedPath, redactedBytes);
    await options.blobs.put(redactedPath, sha(redactedBytes));
    const redacted = randomUUID();
    await append(
      decideDerivative(
        e(),
        MONITOR,
        crater,
        {
          upload: 'demo-upload',
          sha256: sha(redactedBytes),
          filename: 'orikhiv-crater-redacted.jpg',
          mediaType: 'image/jpeg',
          action: 'redaction',
          description: 'people and number plates blurred; EXIF removed',
          purpose: 'publication in the daily report',
        },
        { id: redacted, sha256: sha(redactedBytes), bytes: redactedBytes.length, mediaType: 'image/jpeg', receivedAt: now().toISOString() },
      ),
      MONITOR,
    );
    ids.push(redacted);
    await append(decidePublish(e(), MEDIATOR, redacted, 'daily report of 8 January'), MEDIATOR);
    await append(
      decideTransfer(e(), MONITOR, crater, 'secretariat', 'file for the special commission on attribution', (p) =>
        journal.image.identity.parties.has(p),
      ),
      MONITOR,
    );
    return ids;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
