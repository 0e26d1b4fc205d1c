import type { Principal } from '../../src/core/access/roles';
import type { Result } from '../../src/core/errors';
import { currentDocument, inForceAt } from '../../src/core/framework/versions';
import type { EventDraft } from '../../src/core/journal/envelope';
import {
  decideAttendance,
  decideAttestation,
  decideMinutes,
  decideOutcome,
  decidePlan,
  decidePrerequisite,
  decideStatus,
} from '../../src/core/process/commands';
import { MeetingInput, type Requirement } from '../../src/core/process/model';
import { checksNow } from '../../src/core/process/prerequisites';
import type { Journal } from '../../src/runtime/journal';
import { milestoneFacts } from '../../src/runtime/milestones';
import { DEMO_USERS } from './demo';

/**
 * The January 2026 sequence of the Kyiv Post report (../shared/seeds/kyiv-post-peace-sprint.txt):
 * national security advisers in Kyiv on 3 January, hybrid, the US by secure video; the military chiefs
 * of staff on 5 January; the leaders of the Coalition of the Willing in Paris on 6 January; Ankara
 * preparing the prisoner exchanges; "additional meetings throughout January". The framework's own
 * `meeting-prerequisite` clauses give the first links (chiefs after advisers, leaders after chiefs and
 * the air and ladder clauses agreed, Ankara once the intermediary has the lists); the mediator adds
 * the rest here — the leaders also need a version of the guarantee clauses signed by the guarantors,
 * the shared understanding the advisers were to lock in.
 *
 * The first four meetings are recorded as held; the rest stand as the sequence looked in mid-January,
 * so the demo shows what still blocks them. Critical path: advisers → chiefs → leaders → advisers'
 * follow-up in Berlin → leaders' review. ILLUSTRATIVE: names of rooms, times and minutes are invented.
 */

const VIDEO = 'https://video.entente.invalid/secure/';

type P = Record<string, unknown>;
const person = (
  name: string,
  username: string | null,
  party: string | null,
  zone: string,
  mode: 'in-person' | 'video',
  role: string,
  extra: P = {},
): P => ({
  name,
  person: username,
  party,
  zone,
  mode,
  role,
  response: 'accepted',
  ...extra,
});

const ua = (role = 'chair', mode: 'in-person' | 'video' = 'in-person') =>
  person('Rustem Umerov (Ukraine)', 'ua-delegate', 'ua', 'Europe/Kyiv', mode, role);
const us = (mode: 'in-person' | 'video') =>
  person('US national security team', 'us-guarantor', 'us', 'America/New_York', mode, 'delegate', {
    hours: { start: '08:00', end: '19:00', days: [1, 2, 3, 4, 5] },
  });
const gb = (mode: 'in-person' | 'video' = 'in-person') =>
  person('UK national security adviser', 'gb-delegate', 'gb', 'Europe/London', mode, 'delegate');
const fr = (mode: 'in-person' | 'video' = 'in-person') =>
  person('French diplomatic adviser', 'fr-delegate', 'fr', 'Europe/Paris', mode, 'delegate');
const de = (mode: 'in-person' | 'video' = 'in-person') =>
  person('German foreign and security policy adviser', 'de-delegate', 'de', 'Europe/Berlin', mode, 'delegate');
const tr = (mode: 'in-person' | 'video' = 'in-person', role = 'adviser') =>
  person('Turkish delegation', 'tr-delegate', 'tr', 'Europe/Istanbul', mode, role);
const eu = (mode: 'in-person' | 'video' = 'in-person') => person('European Commission', 'donor', 'eu', 'Europe/Brussels', mode, 'observer');
const mediator = () => person('Chief mediator', 'mediator', 'secretariat', 'Europe/Brussels', 'in-person', 'adviser');

interface DemoMeeting {
  readonly input: P;
  readonly requires?: readonly Requirement[];
  readonly held?: {
    at: string;
    minutes: { text: string; visibility: string[]; by: string }[];
    outcome?: { decision: string; clauses: string[] };
    absent?: string[];
    /** the mediator's reason for recording it held while a prerequisite is unmet */
    override?: string;
  };
  readonly confirmed?: boolean;
}

const GUARANTORS = ['ua', 'us', 'gb', 'fr', 'de'];

export const JANUARY: readonly DemoMeeting[] = [
  {
    input: {
      code: 'security-advisers-kyiv-2026-01-03',
      title: 'National security advisers — Kyiv',
      track: 'advisers',
      venue: { name: 'Kyiv, Office of the President', zone: 'Europe/Kyiv' },
      start: '2026-01-03T10:00',
      end: '2026-01-03T17:00',
      format: 'hybrid',
      videoLink: `${VIDEO}kyiv-advisers`,
      participants: [ua(), us('video'), gb(), fr(), de(), tr(), eu(), mediator()],
      agenda: [
        { title: 'Shared understanding of the security guarantees', clauses: ['c-commit-air', 'c-commit-land', 'c-commit-sea'] },
        { title: 'Response ladder and who pulls the trigger', clauses: ['c-ladder'] },
        { title: 'Sequencing of the January meetings', clauses: ['c-meeting-military', 'c-meeting-leaders'] },
      ],
    },
    held: {
      at: '2026-01-03T15:00:00Z',
      minutes: [
        {
          text: 'Advisers confirmed the air commitment and the response ladder as agreed text; land and sea stay bracketed. US officials joined by secure video.',
          visibility: ['process'],
          by: 'mediator',
        },
        {
          text: 'Mediator’s note: the sea lead (Türkiye or coalition consensus) is the point most likely to stall the leaders; prepare two texts.',
          visibility: ['mediator'],
          by: 'mediator',
        },
        {
          text: 'Ukrainian delegation: keep the land buffer width open until the chiefs have mapped it.',
          visibility: ['party:ua'],
          by: 'ua-delegate',
        },
      ],
      outcome: {
        decision: 'Air commitment and response ladder agreed as text for the chiefs and the leaders.',
        clauses: ['c-commit-air', 'c-ladder'],
      },
    },
  },
  {
    input: {
      code: 'chiefs-of-staff-2026-01-05',
      title: 'Military chiefs of staff — air, land and sea',
      track: 'military',
      venue: { name: 'Paris, Hôtel de Brienne', zone: 'Europe/Paris' },
      start: '2026-01-05T09:30',
      end: '2026-01-05T16:00',
      format: 'hybrid',
      videoLink: `${VIDEO}chiefs`,
      participants: [
        person('Chief of the General Staff (Ukraine)', null, 'ua', 'Europe/Kyiv', 'in-person', 'delegate'),
        person('Chairman of the Joint Chiefs (US)', null, 'us', 'America/New_York', 'video', 'delegate'),
        person('Chief of the Defence Staff (UK)', null, 'gb', 'Europe/London', 'in-person', 'chair'),
        person('Chef d’état-major des armées (France)', null, 'fr', 'Europe/Paris', 'in-person', 'delegate'),
        person('Generalinspekteur (Germany)', null, 'de', 'Europe/Berlin', 'in-person', 'delegate'),
        person('Chief of the General Staff (Türkiye)', null, 'tr', 'Europe/Istanbul', 'video', 'delegate'),
      ],
      agenda: [
        { title: 'Map the air, land and sea guarantees', clauses: ['c-commit-air', 'c-commit-land', 'c-commit-sea'] },
        { title: 'Lead and backup responders', clauses: ['c-ladder'] },
      ],
    },
    held: {
      at: '2026-01-05T15:00:00Z',
      minutes: [
        {
          text: 'Air and land responders mapped; the sea responder depends on the bracket in c-commit-sea.',
          visibility: ['process'],
          by: 'mediator',
        },
      ],
      absent: ['Chief of the General Staff (Türkiye)'],
    },
  },
  {
    input: {
      code: 'leaders-paris-2026-01-06',
      title: 'Coalition of the Willing — leaders in Paris',
      track: 'leaders',
      venue: { name: 'Paris, Élysée Palace', zone: 'Europe/Paris' },
      start: '2026-01-06T14:00',
      end: '2026-01-06T19:00',
      format: 'in-person',
      participants: [
        ua(),
        us('in-person'),
        gb(),
        person('President of France', 'fr-delegate', 'fr', 'Europe/Paris', 'in-person', 'chair'),
        de(),
        eu(),
        mediator(),
      ],
      agenda: [{ title: 'Confidence in the security guarantees and the framework', clauses: ['c-commit-air', 'c-ladder'] }],
      hardDate: true,
    },
    // "locking in a shared understanding of security guarantees": a signed version of those clauses
    requires: [{ type: 'version-signed', parties: GUARANTORS, clauses: ['c-commit-air', 'c-ladder'] }],
    held: {
      at: '2026-01-06T18:00:00Z',
      minutes: [
        {
          text: 'Leaders endorsed the Paris text; entry into force on 7 January 2026 once signed by all.',
          visibility: ['process'],
          by: 'mediator',
        },
      ],
      outcome: { decision: 'Paris text endorsed for signature by every party.', clauses: ['c-entry-into-force'] },
    },
  },
  {
    input: {
      code: 'exchange-talks-ankara',
      title: 'Prisoner exchange talks — Ankara',
      track: 'humanitarian',
      venue: { name: 'Ankara, Ministry of Foreign Affairs', zone: 'Europe/Istanbul' },
      start: '2026-01-09T11:00',
      end: '2026-01-09T16:00',
      format: 'hybrid',
      videoLink: `${VIDEO}ankara`,
      participants: [
        tr('in-person', 'chair'),
        person('Ukrainian coordination headquarters', null, 'ua', 'Europe/Kyiv', 'in-person', 'delegate'),
        person('Russian delegation', 'ru-delegate', 'ru', 'Europe/Moscow', 'in-person', 'delegate'),
        person('ICRC', 'humanitarian', 'icrc', 'Europe/Zurich', 'video', 'observer'),
      ],
      agenda: [{ title: 'First tranche: lists, categories, parity', clauses: [] }],
    },
    held: {
      at: '2026-01-09T14:00:00Z',
      minutes: [
        {
          text: 'Intermediary confirmed both lists; first tranche to be prepared under the exchange formula.',
          visibility: ['intermediary', 'mediator'],
          by: 'mediator',
        },
      ],
    },
  },
  {
    input: {
      code: 'military-sea-working-group-2026-01-14',
      title: 'Military working group — Black Sea',
      track: 'military',
      venue: { name: 'Brussels, NATO headquarters', zone: 'Europe/Brussels' },
      start: '2026-01-14T10:00',
      end: '2026-01-14T15:00',
      format: 'hybrid',
      videoLink: `${VIDEO}sea`,
      participants: [
        person('Naval staff (Ukraine)', null, 'ua', 'Europe/Kyiv', 'in-person', 'delegate'),
        person('Naval staff (Türkiye)', null, 'tr', 'Europe/Istanbul', 'in-person', 'chair'),
        person('US Naval Forces Europe', null, 'us', 'Europe/Rome', 'video', 'adviser'),
        person('Royal Navy', null, 'gb', 'Europe/London', 'in-person', 'delegate'),
      ],
      agenda: [{ title: 'Corridor buffer: who responds', clauses: ['c-commit-sea'] }],
    },
    requires: [{ type: 'meeting-held', meeting: 'chiefs-of-staff-2026-01-05' }],
    confirmed: true,
  },
  {
    input: {
      code: 'advisers-follow-up-berlin-2026-01-16',
      title: 'National security advisers — follow-up in Berlin (US in person)',
      track: 'advisers',
      venue: { name: 'Berlin, Federal Chancellery', zone: 'Europe/Berlin' },
      start: '2026-01-16T10:00',
      end: '2026-01-16T17:00',
      format: 'in-person',
      participants: [
        ua(),
        us('in-person'),
        gb(),
        fr(),
        person('German foreign and security policy adviser', 'de-delegate', 'de', 'Europe/Berlin', 'in-person', 'chair'),
        mediator(),
      ],
      agenda: [{ title: 'Sea commitment: choose between the two texts', clauses: ['c-commit-sea'] }],
    },
    requires: [{ type: 'meeting-held', meeting: 'leaders-paris-2026-01-06' }],
  },
  {
    input: {
      code: 'prosperity-brussels-2026-01-20',
      title: 'Prosperity package — donors and investors',
      track: 'economic',
      venue: { name: 'Brussels, Berlaymont', zone: 'Europe/Brussels' },
      start: '2026-01-20T09:00',
      end: '2026-01-20T13:00',
      format: 'virtual',
      videoLink: `${VIDEO}prosperity`,
      participants: [
        person('European Commission', 'donor', 'eu', 'Europe/Brussels', 'video', 'chair'),
        person('Ministry of Economy (Ukraine)', null, 'ua', 'Europe/Kyiv', 'video', 'delegate'),
        person('US Development Finance Corporation', null, 'us', 'America/New_York', 'video', 'delegate'),
      ],
    },
    requires: [{ type: 'framework-in-force' }, { type: 'meeting-held', meeting: 'leaders-paris-2026-01-06' }],
  },
  {
    input: {
      code: 'exchange-tranche-review-2026-01-22',
      title: 'First exchange tranche — review',
      track: 'humanitarian',
      venue: { name: 'Istanbul, Dolmabahçe Office', zone: 'Europe/Istanbul' },
      start: '2026-01-22T11:00',
      end: '2026-01-22T14:00',
      format: 'in-person',
      participants: [
        tr('in-person', 'chair'),
        person('Ukrainian coordination headquarters', null, 'ua', 'Europe/Kyiv', 'in-person', 'delegate'),
      ],
    },
    requires: [
      { type: 'meeting-held', meeting: 'exchange-talks-ankara' },
      { type: 'exchange-completed', formula: 'exchange-main', tranches: 1 },
    ],
  },
  {
    input: {
      code: 'leaders-review-2026-01-29',
      title: 'Leaders — review of the January sequence',
      track: 'leaders',
      venue: { name: 'London, Lancaster House', zone: 'Europe/London' },
      start: '2026-01-29T13:00',
      end: '2026-01-29T17:00',
      format: 'hybrid',
      videoLink: `${VIDEO}leaders-review`,
      participants: [
        ua(),
        us('video'),
        person('Prime Minister of the United Kingdom', 'gb-delegate', 'gb', 'Europe/London', 'in-person', 'chair'),
        fr(),
        de(),
        tr('video'),
      ],
      agenda: [{ title: 'Sea commitment and the next version for signature', clauses: ['c-commit-sea'] }],
      hardDate: true,
    },
    requires: [
      { type: 'meeting-held', meeting: 'advisers-follow-up-berlin-2026-01-16' },
      { type: 'meeting-held', meeting: 'military-sea-working-group-2026-01-14' },
      { type: 'version-signed', parties: ['ua', 'ru', 'us', 'gb', 'fr', 'de', 'tr'], clauses: ['c-commit-sea'] },
    ],
  },
];

/** The critical path the demo must show (checked by process-demo.test.ts). */
export const DEMO_CRITICAL_PATH = [
  'security-advisers-kyiv-2026-01-03',
  'chiefs-of-staff-2026-01-05',
  'leaders-paris-2026-01-06',
  'advisers-follow-up-berlin-2026-01-16',
  'leaders-review-2026-01-29',
];

function principal(username: string): Principal {
  const u = DEMO_USERS.find((x) => x.username === username);
  if (!u) throw new Error(`demo user ${username} is missing`);
  return { kind: 'user', id: username, username, party: u.party, roles: u.roles, grants: [], scopes: null };
}

export async function seedProcessDemo(journal: Journal, now: () => Date = () => new Date()): Promise<void> {
  const append = async (drafts: Result<EventDraft[]>, actor = 'mediator') => {
    if (!drafts.ok) throw new Error(`process demo is inconsistent: ${drafts.message}`);
    const u = principal(actor);
    const r = await journal.append({ drafts: drafts.value, actor, party: u.party });
    if (!r.ok) throw new Error(`process demo could not be appended: ${r.message}`);
  };
  const process = () => journal.image.process;
  const text = () => inForceAt(journal.image.framework, now().toISOString())?.document ?? currentDocument(journal.image.framework);

  for (const m of JANUARY) await append(decidePlan(process(), MeetingInput.parse(m.input), text()));
  for (const m of JANUARY) {
    const id = String(m.input.code);
    for (const requirement of m.requires ?? []) await append(decidePrerequisite(process(), id, { requirement, note: '' }, text()));
  }
  // Türkiye, as intermediary, attests what the framework's Ankara clause waits for.
  await append(decideAttestation(principal('intermediary'), 'Lists of both sides received by the intermediary'), 'intermediary');

  const stamp = now().toISOString();
  for (const m of JANUARY) {
    const id = String(m.input.code);
    if (m.confirmed) await append(decideStatus(process(), id, { status: 'confirmed', reason: '', override: false }, stamp, []));
    if (!m.held) continue;
    const checks = checksNow(
      { process: process(), framework: journal.image.framework, facts: milestoneFacts(journal.image), now: stamp },
      text(),
      id,
    );
    const override = m.held.override ?? '';
    await append(
      decideStatus(process(), id, { status: 'held', at: m.held.at, reason: override, override: override !== '' }, stamp, checks),
    );
    const participants = process().meetings.get(id)!.participants;
    const attendance = participants.map((p) => ({ participant: p.name, present: !(m.held!.absent ?? []).includes(p.name), mode: p.mode }));
    await append(decideAttendance(process(), id, { attendance }));
    for (const minutes of m.held.minutes) {
      await append(decideMinutes(process(), principal(minutes.by), id, { text: minutes.text, visibility: minutes.visibility }), minutes.by);
    }
    if (m.held.outcome) {
      const hashes = journal.image.framework.versions.map((v) => v.hash);
      await append(decideOutcome(process(), id, { ...m.held.outcome, versionHash: null }, text(), hashes));
    }
  }
}
