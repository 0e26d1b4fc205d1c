import type { Result } from '../../src/core/errors';
import { inForceAt } from '../../src/core/framework/versions';
import type { AppendRequest, EventDraft } from '../../src/core/journal/envelope';
import { acknowledgeNotice } from '../../src/core/operations/deconfliction/acknowledge-notice';
import { MovementNoticeInput, SiteNoticeInput } from '../../src/core/operations/deconfliction/notice';
import { notifyMovement, notifySite, type Notified } from '../../src/core/operations/deconfliction/notify';
import { deconflictionReactor } from '../../src/core/operations/deconfliction/reactor';
import { ReportIntake } from '../../src/core/operations/intake';
import { ReportInput } from '../../src/core/operations/model';
import type { Reporter } from '../../src/core/operations/report';
import type { Journal } from '../../src/runtime/journal';

/**
 * Humanitarian deconfliction in the demo, January 2026 (the Paris text in force since 7 January): the
 * ICRC notifies a hospital, a water station, a school and its warehouse in and around Zaporizhzhia, and
 * a convoy from the warehouse to Orikhiv. Ukraine and the Russian Federation acknowledge — except the
 * Russian Federation for the school, which escalates when its 12 hours run out. On 13 January a
 * shelling impact is reported 400 m from the school: the notified site struck. The convoy's window
 * closes on the 12th and its notice expires.
 * ILLUSTRATIVE: places are real towns, the sites and events are invented.
 */

const ICRC = { username: 'humanitarian', party: 'icrc', partyName: 'International Committee of the Red Cross' };
const UA = { username: 'ua-delegate', party: 'ua' };
const RU = { username: 'ru-delegate', party: 'ru' };
const MONITOR: Reporter = { username: 'monitor', party: 'mechanism', roles: ['monitor'] };

/** When the ICRC sends its notices (the lead time runs from here). */
const NOTIFIED_AT = new Date('2026-01-08T09:00:00Z');
const VALID_UNTIL = '2027-01-08T00:00:00+02:00';

const SITES = [
  {
    id: 'demo-site-hospital',
    kind: 'hospital',
    name: 'Zaporizhzhia Regional Hospital (surgical wing)',
    location: { lon: 35.1645, lat: 47.8262 },
    contact: 'ICRC Zaporizhzhia hotline +380 61 000 0101',
  },
  {
    id: 'demo-site-water',
    kind: 'water',
    name: 'Vilniansk water pumping station',
    location: { lon: 35.4305, lat: 47.9402 },
    contact: 'ICRC water and habitat +380 61 000 0102',
  },
  {
    id: 'demo-site-school',
    kind: 'school',
    name: 'Orikhiv school No. 2 (shelter and distribution)',
    location: { lon: 35.7905, lat: 47.5671 },
    contact: 'ICRC Orikhiv field office +380 61 000 0103',
  },
  {
    id: 'demo-site-warehouse',
    kind: 'warehouse',
    name: 'ICRC warehouse, Zaporizhzhia east',
    location: { lon: 35.2102, lat: 47.8018 },
    contact: 'ICRC logistics +380 61 000 0104',
  },
] as const;

const CONVOY = {
  id: 'demo-movement-convoy',
  input: {
    name: 'Convoy Zaporizhzhia–Orikhiv (food, water, medical supplies)',
    route: {
      type: 'LineString',
      coordinates: [
        [35.2102, 47.8018],
        [35.3005, 47.7702],
        [35.4311, 47.7185],
        [35.5725, 47.6502],
        [35.6902, 47.6011],
        [35.7905, 47.5671],
      ],
    },
    window: { from: '2026-01-12T08:00:00+02:00', until: '2026-01-12T16:00:00+02:00' },
    vehicles: [
      { kind: 'truck', count: 8, markings: 'red cross emblem, ICRC 101–108' },
      { kind: 'escort vehicle', count: 2, markings: 'red cross emblem' },
    ],
    personnel: 21,
    contact: 'ICRC convoy leader +380 61 000 0110',
  },
};

/** The ones that acknowledge each notice, and when (hours after it was sent). */
const ACKNOWLEDGEMENTS: Record<string, { by: typeof UA; afterHours: number }[]> = {
  'demo-site-hospital': [
    { by: UA, afterHours: 1 },
    { by: RU, afterHours: 5 },
  ],
  'demo-site-water': [
    { by: UA, afterHours: 2 },
    { by: RU, afterHours: 9 },
  ],
  // The Russian Federation stays silent: the notice escalates at its deadline.
  'demo-site-school': [{ by: UA, afterHours: 1 }],
  'demo-site-warehouse': [
    { by: UA, afterHours: 1 },
    { by: RU, afterHours: 11 },
  ],
  'demo-movement-convoy': [
    { by: UA, afterHours: 3 },
    { by: RU, afterHours: 7 },
  ],
};

const STRUCK_REPORT = ReportInput.parse({
  occurredAt: '2026-01-13T03:40:00+02:00',
  // About 400 m north-east of the school in Orikhiv.
  location: { lon: 35.7942, lat: 47.5697 },
  domain: 'land',
  type: 'shelling-impact',
  weaponClass: 'mortar',
  source: 'patrol-heard',
  narrative:
    'Night patrol heard three impacts in the north-east of Orikhiv, near the notified school used as a shelter; no casualties reported so far.',
});

export async function seedDeconflictionDemo(journal: Journal): Promise<{ notices: number; strikes: number }> {
  const append = async (request: AppendRequest): Promise<void> => {
    const r = await journal.append(request);
    if (!r.ok) throw new Error(`deconfliction demo could not be appended: ${r.message}`);
  };
  const appendAs = (drafts: Result<EventDraft[]>, by: { username: string; party: string }) => {
    if (!drafts.ok) throw new Error(`deconfliction demo is inconsistent: ${drafts.message}`);
    return append({ drafts: drafts.value, actor: by.username, party: by.party });
  };

  const inForce = inForceAt(journal.image.framework, NOTIFIED_AT.toISOString());
  if (!inForce) throw new Error('deconfliction demo: no framework is in force on 8 January 2026');
  const ctx = (id: string) => ({
    now: NOTIFIED_AT,
    inForce: { hash: inForce.hash, number: inForce.number, document: inForce.document },
    notifier: ICRC,
    id,
  });
  const notified = (r: Result<Notified>): Result<EventDraft[]> => (r.ok ? { ok: true, value: r.value.drafts } : r);

  for (const s of SITES) {
    const input = SiteNoticeInput.parse({ kind: s.kind, name: s.name, location: s.location, validUntil: VALID_UNTIL, contact: s.contact });
    await appendAs(notified(notifySite(input, ctx(s.id))), ICRC);
  }
  await appendAs(notified(notifyMovement(MovementNoticeInput.parse(CONVOY.input), ctx(CONVOY.id))), ICRC);

  const notices = () => journal.image.deconfliction.notices;
  for (const [id, acks] of Object.entries(ACKNOWLEDGEMENTS)) {
    for (const { by, afterHours } of acks) {
      const at = new Date(NOTIFIED_AT.getTime() + afterHours * 3_600_000);
      await appendAs(acknowledgeNotice(notices().get(id)!, { note: '' }, by, at), by);
    }
  }

  // The deadline passes (8 January, 21:00 UTC): the reactor escalates the school, as it would live.
  await runReactor(journal, new Date('2026-01-08T21:01:00Z'));

  // The report comes in through the same intake as the API; the reactor finds the site struck.
  const intake = new ReportIntake({
    view: () => ({
      operations: journal.image.operations,
      framework: journal.image.framework,
      streamVersion: (s) => journal.image.index.streams.get(s) ?? 0,
    }),
    append: (request) => journal.append(request),
    now: () => new Date('2026-01-13T02:10:00Z'),
  });
  const filed = await intake.submit(STRUCK_REPORT, MONITOR, { id: 'demo-report-orikhiv-school' });
  if (!filed.ok) throw new Error(`deconfliction demo report was refused: ${filed.message}`);
  await runReactor(journal, new Date('2026-01-13T02:11:00Z'));

  // The demo's "today" (14 January): the convoy's window has closed.
  await runReactor(journal, new Date('2026-01-14T12:00:00Z'));
  return { notices: notices().size, strikes: journal.image.deconfliction.strikes.length };
}

/** One round of the deconfliction reactor at a given instant, its proposals appended like a live node's. */
async function runReactor(journal: Journal, now: Date): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const proposals = deconflictionReactor.due!(journal.image, now);
    if (proposals.length === 0) return;
    for (const p of proposals) {
      const r = await journal.append(p);
      if (!r.ok && r.code !== 'conflict') throw new Error(`deconfliction demo: the reactor's append was refused: ${r.message}`);
    }
  }
}
