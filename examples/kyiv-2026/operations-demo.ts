import { giveGrant } from '../../src/core/identity/identity';
import type { Result } from '../../src/core/errors';
import type { EventDraft } from '../../src/core/journal/envelope';
import { recordAccessDenial } from '../../src/core/operations/access-denial';
import { ReportIntake } from '../../src/core/operations/intake';
import { AccessDenialInput, ReportInput, type CaseStatus } from '../../src/core/operations/model';
import type { Reporter } from '../../src/core/operations/report';
import { type CaseDecision, changeStatus, lockCase, recordDissent, recordFinding } from '../../src/core/operations/verification';
import type { Journal } from '../../src/runtime/journal';
import { DEMO_REPORTS } from './demo';

/**
 * Ceasefire operations in the demo: January 2026, after the Paris text entered into force on 7 January.
 * Reports along the front filed through the same intake as the API (so they are classified against the
 * zones in force and grouped into cases), cases in every state of verification, a case where the
 * parties' claims contradict the monitors' observations, a dissent, and an access denial.
 * ILLUSTRATIVE: places are real, events are invented.
 */

const MONITOR: Reporter = { username: 'monitor', party: 'mechanism', roles: ['monitor'] };
const UA: Reporter = { username: 'ua-delegate', party: 'ua', roles: ['delegate', 'signer'] };
const RU: Reporter = { username: 'ru-delegate', party: 'ru', roles: ['delegate', 'signer'] };

interface DemoReport {
  readonly key: string;
  readonly by: Reporter;
  readonly report: ReportInput;
}

const r = (key: string, by: Reporter, report: Record<string, unknown>): DemoReport => ({ key, by, report: ReportInput.parse(report) });

/** Beyond the example's five reports (the first two of which are the Orikhiv shelling). */
const MORE: DemoReport[] = [
  r('orikhiv-ua-claim', UA, {
    occurredAt: '2026-01-07T05:45:00+02:00',
    location: { lon: 35.936, lat: 47.468 },
    domain: 'land',
    type: 'shelling-impact',
    weaponClass: 'artillery-100mm-plus',
    source: 'party-claim',
    casualties: [{ category: 'civilian', outcome: 'injured', count: 2 }],
    narrative: 'Ukraine reports 152 mm artillery fire from the south-east on the outskirts of Orikhiv; two civilians injured.',
  }),
  r('orikhiv-ru-claim', RU, {
    occurredAt: '2026-01-07T05:50:00+02:00',
    location: { lon: 35.94, lat: 47.465 },
    domain: 'land',
    type: 'shelling-impact',
    source: 'party-claim',
    narrative: 'The Russian Federation states that its forces did not open fire; the impacts were caused by Ukrainian mortars.',
  }),
  r('orikhiv-camera-2', MONITOR, {
    occurredAt: '2026-01-07T06:10:00+02:00',
    location: { lon: 35.944, lat: 47.463 },
    domain: 'land',
    type: 'infrastructure-damage',
    source: 'fixed-camera',
    casualties: [{ category: 'civilian', outcome: 'injured', count: 2 }],
    narrative: 'Camera at the buffer-zone post: a residential building damaged; two civilians evacuated with injuries.',
  }),
  r('kostiantynivka-drone-2', MONITOR, {
    occurredAt: '2026-01-08T22:21:00+02:00',
    location: { lon: 37.73, lat: 48.55 },
    domain: 'air',
    type: 'drone',
    weaponClass: 'drone',
    source: 'drone',
    narrative: "The mechanism's drone followed a loitering munition flying west; it left the camera's field of view.",
  }),
  r('huliaipole-small-arms', MONITOR, {
    occurredAt: '2026-01-09T03:15:00+02:00',
    location: { lon: 36.27, lat: 47.66 },
    domain: 'land',
    type: 'small-arms',
    source: 'patrol-heard',
    narrative: 'Patrol heard bursts of small-arms fire, 2–3 km north-east of Huliaipole, for about ten minutes.',
  }),
  r('toretsk-airburst', MONITOR, {
    occurredAt: '2026-01-11T14:05:00+02:00',
    location: { lon: 37.85, lat: 48.39 },
    domain: 'land',
    type: 'airburst',
    source: 'patrol-saw',
    narrative: 'Two airbursts seen over fields south of Toretsk; no damage observed.',
  }),
  r('zaporizhzhia-substation', MONITOR, {
    occurredAt: '2026-01-12T02:40:00+02:00',
    location: { lon: 35.25, lat: 47.78 },
    domain: 'air',
    type: 'missile',
    weaponClass: 'missile',
    source: 'open-source',
    narrative: 'Open sources and local authorities: a missile struck an electrical substation on the southern edge of Zaporizhzhia.',
  }),
  r('zaporizhzhia-substation-sensor', MONITOR, {
    occurredAt: '2026-01-12T02:44:00+02:00',
    location: { lon: 35.27, lat: 47.775 },
    domain: 'air',
    type: 'infrastructure-damage',
    source: 'sensor',
    narrative: 'Seismic and acoustic sensors registered one large detonation; power lost in three districts.',
  }),
  r('pokrovske-tanks', MONITOR, {
    occurredAt: '2026-01-13T10:30:00+02:00',
    location: { lon: 36.6, lat: 47.82 },
    domain: 'land',
    type: 'weapon-beyond-withdrawal-line',
    weaponClass: 'tanks',
    source: 'drone',
    narrative: 'Drone imagery: three main battle tanks parked in a tree line, about 8 km from the contact line.',
  }),
];

type Append = (drafts: Result<EventDraft[]>, actor: string, party: string | null, expected?: CaseDecision['expected']) => Promise<void>;

export async function seedOperationsDemo(journal: Journal): Promise<{ reports: number; cases: number }> {
  const append: Append = async (drafts, actor, party, expected) => {
    if (!drafts.ok) throw new Error(`operations demo is inconsistent: ${drafts.message}`);
    const r = await journal.append({ drafts: drafts.value, actor, party, ...(expected ? { expected } : {}) });
    if (!r.ok) throw new Error(`operations demo could not be appended: ${r.message}`);
  };
  // The chief mediator and the US operations centre have need to know for exact places.
  for (const username of ['mediator', 'us-guarantor'])
    await append(giveGrant(journal.image.identity, username, 'exact-location'), 'admin', 'secretariat');

  // The demo's clock: after the events it files, whatever the machine's date.
  const now = () => new Date(Math.max(Date.now(), Date.parse('2026-01-14T12:00:00Z')));
  const intake = new ReportIntake({
    view: () => ({
      operations: journal.image.operations,
      framework: journal.image.framework,
      streamVersion: (s) => journal.image.index.streams.get(s) ?? 0,
    }),
    append: (request) => journal.append(request),
    now,
  });
  const cases = new Map<string, string>();
  const all: DemoReport[] = [...DEMO_REPORTS.map((report, i) => r(`example-${i}`, MONITOR, report as Record<string, unknown>)), ...MORE];
  let n = 0;
  for (const d of all) {
    const filed = await intake.submit(ReportInput.parse(d.report), d.by, { id: `demo-report-${String(++n).padStart(3, '0')}` });
    if (!filed.ok) throw new Error(`demo report ${d.key} was refused: ${filed.message}`);
    cases.set(d.key, filed.value.caseId!);
  }

  const ops = () => journal.image.operations;
  const caseOf = (key: string) => ops().cases.get(cases.get(key)!)!;
  const monitor = { username: MONITOR.username, party: MONITOR.party };
  const act = async (key: string, decide: (version: number) => Result<CaseDecision>, by = monitor) => {
    const decided = decide(caseOf(key).version);
    if (!decided.ok) throw new Error(`demo case ${key}: ${decided.message}`);
    await append({ ok: true, value: decided.value.drafts }, by.username, by.party, decided.value.expected);
  };
  const move = (key: string, to: CaseStatus, reason = '') =>
    act(key, (version) => changeStatus(ops(), caseOf(key).id, { version, to, reason }, { now: now(), actor: monitor }));
  const parties = new Set(journal.image.identity.parties.keys());
  const find = (key: string, attribution: Parameters<typeof recordFinding>[2]['attribution'], summary: string, severity?: number) =>
    act(key, (version) =>
      recordFinding(
        ops(),
        caseOf(key).id,
        { version, attribution, summary, ...(severity ? { severity } : {}) },
        { now: now(), actor: monitor, findingId: `demo-finding-${key}`, knownParties: parties },
      ),
    );

  // Orikhiv, 7 January: observations and both parties' claims in one case; verified and attributed; Russia dissents.
  await move('example-0', 'under-investigation');
  await find(
    'example-0',
    { party: 'ru', confidence: 'medium' },
    'Crater analysis at three impact sites indicates 152 mm artillery fired from the south-east, from positions held by the armed forces of the Russian Federation.',
    3,
  );
  await move('example-0', 'verified', 'two independent observations (patrol, camera) and crater analysis');
  await act(
    'example-0',
    (version) =>
      recordDissent(
        ops(),
        caseOf('example-0').id,
        {
          version,
          text: 'The Russian Federation rejects the attribution: no unit under its command fired on 7 January.',
          findingId: 'demo-finding-example-0',
        },
        { now: now(), actor: { username: RU.username, party: RU.party }, dissentId: 'demo-dissent-orikhiv' },
      ),
    { username: RU.username, party: RU.party },
  );

  // Kostiantynivka drone: under investigation, locked by the field monitor.
  await move('example-2', 'under-investigation');
  await act('example-2', (version) =>
    lockCase(ops(), caseOf('example-2').id, { version, minutes: 8 * 60 }, { now: now(), actor: monitor }),
  );

  // Huliaipole small arms: the patrol could not reach the area — not verified.
  const denial = recordAccessDenial(
    ops(),
    journal.image.framework,
    AccessDenialInput.parse({
      occurredAt: '2026-01-09T09:30:00+02:00',
      location: { lon: 36.25, lat: 47.64 },
      deniedBy: 'ru',
      place: 'checkpoint on the road north-east of Huliaipole',
      durationMinutes: 150,
      caseId: caseOf('huliaipole-small-arms').id,
      narrative: 'Armed personnel refused the patrol passage towards the area of the reported fire, citing mines.',
    }),
    { now: now(), id: 'demo-denial-huliaipole', reporter: monitor },
  );
  if (!denial.ok) throw new Error(`demo access denial: ${denial.message}`);
  await append({ ok: true, value: denial.value.drafts }, monitor.username, monitor.party, denial.value.expected);
  await move('huliaipole-small-arms', 'under-investigation');
  await move('huliaipole-small-arms', 'not-verified', 'the patrol was denied access to the area; a single source');

  // The naval claim near the corridor: unfounded (no vessel on radar or AIS at the time).
  await move('example-4', 'under-investigation');
  await move('example-4', 'unfounded', 'coastal radar and AIS show no vessel within 20 km of the corridor buffer at the time claimed');

  // Zaporizhzhia substation: verified, could not be attributed.
  await move('zaporizhzhia-substation', 'under-investigation');
  await find(
    'zaporizhzhia-substation',
    {
      party: null,
      couldNotAttribute: true,
      reason: 'fragments were removed before the mechanism arrived; the launch point cannot be established',
    },
    'A missile struck the substation; damage confirmed on site.',
    4,
  );
  await move('zaporizhzhia-substation', 'verified', 'damage examined on site; sensor record');

  // Toretsk airbursts and the tanks near Pokrovske stay as reported; the Mariupol restriction too.
  return { reports: all.length, cases: new Set(cases.values()).size };
}
