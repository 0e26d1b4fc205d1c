import type { Principal } from '../../src/core/access/roles';
import type { Result } from '../../src/core/errors';
import { ReportIntake } from '../../src/core/operations/intake';
import { ReportInput } from '../../src/core/operations/model';
import type { Reporter } from '../../src/core/operations/report';
import { changeStatus, recordFinding, type CaseDecision } from '../../src/core/operations/verification';
import {
  decideActor,
  decideCommitment,
  decideDisbursement,
  decideExpenditure,
  decidePledge,
  decideProject,
  decideRate,
  decideRelease,
  decideTranche,
  type Decision,
} from '../../src/core/prosperity/commands';
import { evaluateTranche } from '../../src/core/prosperity/conditions';
import {
  ActorInput,
  CommitmentInput,
  DisbursementInput,
  ExpenditureInput,
  PledgeInput,
  ProjectInput,
  RateInput,
  TrancheInput,
  pledgeStream,
} from '../../src/core/prosperity/model';
import { conditionFacts } from '../../src/core/prosperity/reactor';
import { currentDocument } from '../../src/core/framework/versions';
import type { Journal } from '../../src/runtime/journal';
import { milestoneFacts } from '../../src/runtime/milestones';

/**
 * The prosperity package in the demo. ILLUSTRATIVE: institutions are real names, figures invented.
 *
 * Donors and investors (the European Commission's Ukraine Facility, KfW, the UK, the US development
 * finance corporation, a private fund) and a war-risk insurer pledge money to projects in six oblasts;
 * tranches are tied to the framework's funding conditions and to milestones of their own.
 *
 * The ceasefire record decides what is locked. The January cases of the operations demo are long
 * past when the demo runs, so the seed adds two breaches dated relative to the seeding day, filed
 * and verified by the mechanism through the same intake and verification as the API (both "could
 * not be attributed", so no guarantee escalates): a shelling in the contact-line buffer 12 days
 * before (severity 3), and a naval drone in the grain corridor 40 days before (severity 3). Then:
 * - funding-first (30 quiet days in the buffer) and the war-risk cover lock again and unlock in 18
 *   days: "what unlocks if the ceasefire holds 30 more days";
 * - Orikhiv housing (60 days) unlocks in 48 days; the port equity (90 days in the corridor) in 50;
 * - funding-second waits for the first prisoner exchange as well;
 * - the schools (30 days everywhere, severity above 3) and the water works (text in force) were
 *   released and money flowed; the demining grant is releasable, waiting for its approver;
 * - the water loan's second tranche waits for an attestation by the European Commission.
 */

const MONITOR: Reporter = { username: 'monitor', party: 'mechanism', roles: ['monitor'] };
const DONOR: Principal = { kind: 'user', id: 'demo-donor', username: 'donor', party: 'eu', roles: ['donor'], grants: [], scopes: null };

export const DEMO_BREACH_DAYS_AGO = { buffer: 12, corridor: 40 } as const;
const DAY = 86_400_000;

export async function seedProsperityDemo(
  journal: Journal,
  now: () => Date = () => new Date(),
): Promise<{ tranches: number; breaches: string[] }> {
  const append = async (decided: Result<Decision | CaseDecision>, actor: string, party: string | null) => {
    if (!decided.ok) throw new Error(`prosperity demo is inconsistent: ${decided.message}`);
    const r = await journal.append({ drafts: decided.value.drafts, actor, party, expected: decided.value.expected });
    if (!r.ok) throw new Error(`prosperity demo could not be appended: ${r.message}`);
  };
  const s = () => journal.image.prosperity;
  const version = (stream: string) => journal.image.index.streams.get(stream) ?? 0;
  const register = (d: Result<Decision>) => append(d, 'mediator', 'secretariat');
  const fund = (d: Result<Decision>) => append(d, 'donor', 'eu');

  const breaches = await seedRecentBreaches(journal, now);

  for (const a of ACTORS) await register(decideActor(s(), ActorInput.parse(a)));
  for (const p of PROJECTS) await register(decideProject(s(), ProjectInput.parse(p)));
  for (const r of RATES) {
    const input = RateInput.parse(r);
    await register(decideRate(input, version(`rate/${input.base}-${input.quote}`)));
  }
  const ctx = () => ({
    document: currentDocument(journal.image.framework),
    parties: new Set(journal.image.identity.parties.keys()),
    milestones: milestoneFacts(journal.image),
    users: new Map([...journal.image.identity.users.values()].map((u) => [u.username, u.roles] as const)),
  });
  for (const p of PLEDGES) {
    const { commitments, ...pledge } = p;
    await fund(decidePledge(s(), pledge.id, PledgeInput.parse(pledge)));
    for (const c of commitments) {
      const { tranches, ...commitment } = c;
      await fund(
        decideCommitment(s(), commitment.id, CommitmentInput.parse({ ...commitment, pledge: pledge.id }), version(pledgeStream(pledge.id))),
      );
      for (const t of tranches) {
        await fund(
          decideTranche(
            s(),
            t.id,
            TrancheInput.parse({ ...t, commitment: commitment.id, approver: 'donor' }),
            version(pledgeStream(pledge.id)),
            ctx(),
          ),
        );
      }
    }
  }

  // Money that already moved: released where the conditions hold, then disbursed and partly spent.
  const facts = conditionFacts(journal.image, () => milestoneFacts(journal.image))!;
  for (const [trancheId, flows] of Object.entries(FLOWS)) {
    const t = s().tranches.get(trancheId)!;
    const evaluation = evaluateTranche(t.conditions, facts, now().getTime());
    await fund(
      decideRelease(
        s(),
        trancheId,
        DONOR,
        { note: 'conditions checked by the donor representative' },
        evaluation,
        version(pledgeStream(t.pledge)),
      ),
    );
    for (const [i, d] of flows.disbursed.entries()) {
      await fund(decideDisbursement(s(), trancheId, `${trancheId}-d${i + 1}`, DisbursementInput.parse(d), version(pledgeStream(t.pledge))));
    }
    for (const [i, e] of flows.spent.entries()) {
      await append(
        decideExpenditure(s(), trancheId, `${trancheId}-x${i + 1}`, ExpenditureInput.parse(e), version(pledgeStream(t.pledge))),
        'mediator',
        'secretariat',
      );
    }
  }
  return { tranches: s().tranches.size, breaches };
}

/** Two verified, unattributed breaches dated relative to the seeding day (see the note above). */
async function seedRecentBreaches(journal: Journal, now: () => Date): Promise<string[]> {
  const intake = new ReportIntake({
    view: () => ({
      operations: journal.image.operations,
      framework: journal.image.framework,
      streamVersion: (s) => journal.image.index.streams.get(s) ?? 0,
    }),
    append: (request) => journal.append(request),
    now,
  });
  const ago = (days: number, hour: number) =>
    new Date(Math.floor((now().getTime() - days * DAY) / DAY) * DAY + hour * 3_600_000).toISOString();
  const reports = [
    {
      id: 'demo-report-prosperity-buffer',
      report: {
        occurredAt: ago(DEMO_BREACH_DAYS_AGO.buffer, 3),
        location: { lon: 37.55, lat: 48.4 },
        domain: 'land',
        type: 'shelling-impact',
        source: 'patrol-saw',
        narrative: 'Six impacts in an abandoned field south of Kostiantynivka; two houses damaged, nobody hurt.',
      },
      finding: 'Artillery impacts confirmed at six craters; the direction of fire could not be established.',
    },
    {
      id: 'demo-report-prosperity-corridor',
      report: {
        occurredAt: ago(DEMO_BREACH_DAYS_AGO.corridor, 22),
        location: { lon: 30.55, lat: 45.85 },
        domain: 'sea',
        type: 'naval',
        source: 'sensor',
        narrative: 'Coastal radar tracked an uncrewed surface vessel crossing the corridor; it exploded 300 m from a grain carrier.',
      },
      finding: 'Explosion of an uncrewed surface vessel inside the corridor confirmed by radar and the carrier’s crew.',
    },
  ];
  const monitor = { username: MONITOR.username, party: MONITOR.party };
  const ids: string[] = [];
  for (const r of reports) {
    const filed = await intake.submit(ReportInput.parse(r.report), MONITOR, { id: r.id });
    if (!filed.ok) throw new Error(`prosperity demo report was refused: ${filed.message}`);
    const caseId = filed.value.caseId!;
    const ops = () => journal.image.operations;
    const v = () => ops().cases.get(caseId)!.version;
    const act = async (d: Result<CaseDecision>) => {
      if (!d.ok) throw new Error(`prosperity demo case: ${d.message}`);
      const a = await journal.append({ drafts: d.value.drafts, actor: monitor.username, party: monitor.party, expected: d.value.expected });
      if (!a.ok) throw new Error(a.message);
    };
    await act(changeStatus(ops(), caseId, { version: v(), to: 'under-investigation', reason: '' }, { now: now(), actor: monitor }));
    await act(
      recordFinding(
        ops(),
        caseId,
        {
          version: v(),
          attribution: { party: null, couldNotAttribute: true, reason: 'no launch point or firing position could be established' },
          summary: r.finding,
          severity: 3,
        },
        { now: now(), actor: monitor, findingId: `${r.id}-finding`, knownParties: new Set(journal.image.identity.parties.keys()) },
      ),
    );
    await act(
      changeStatus(
        ops(),
        caseId,
        { version: v(), to: 'verified', reason: 'confirmed on site and by sensors' },
        { now: now(), actor: monitor },
      ),
    );
    ids.push(caseId);
  }
  return ids;
}

const ACTORS = [
  { id: 'eu', name: 'European Commission (Ukraine Facility)', kind: 'multilateral', party: 'eu' },
  { id: 'kfw', name: 'KfW Development Bank', kind: 'development-bank', country: 'DE' },
  { id: 'uk-fcdo', name: 'UK Foreign, Commonwealth & Development Office', kind: 'donor-state', party: 'gb', country: 'GB' },
  { id: 'us-dfc', name: 'US International Development Finance Corporation', kind: 'development-bank', party: 'us', country: 'US' },
  { id: 'dnipro-capital', name: 'Dnipro Capital Partners (illustrative fund)', kind: 'private-investor', country: 'UA' },
  { id: 'black-sea-mutual', name: 'Black Sea Mutual war-risk pool (illustrative)', kind: 'insurer', country: 'GB' },
  { id: 'ua-grid', name: 'National power grid operator', kind: 'recipient', country: 'UA' },
  { id: 'zaporizhzhia-ova', name: 'Zaporizhzhia Oblast Military Administration', kind: 'recipient', country: 'UA' },
  { id: 'odesa-port', name: 'Port of Odesa authority', kind: 'recipient', country: 'UA' },
  { id: 'mykolaiv-water', name: 'Mykolaiv municipal water utility', kind: 'recipient', country: 'UA' },
  { id: 'kharkiv-ova', name: 'Kharkiv Oblast Military Administration', kind: 'recipient', country: 'UA' },
  { id: 'demining-centre', name: 'National Mine Action Centre', kind: 'recipient', country: 'UA' },
];

const PROJECTS = [
  {
    id: 'zp-substation',
    title: 'Zaporizhzhia 330 kV substation rebuild',
    sector: 'energy',
    oblast: 'UA-23',
    recipient: 'ua-grid',
    dreamId: 'DREAM-ZP-2026-0417',
    description: 'Replace the transformers and switchgear destroyed in 2024; restores supply to 180,000 homes.',
  },
  {
    id: 'orikhiv-housing',
    title: 'Orikhiv housing repairs',
    sector: 'housing',
    oblast: 'UA-23',
    recipient: 'zaporizhzhia-ova',
    description: 'Roofs, windows and heating for 1,200 damaged flats near the contact line.',
  },
  {
    id: 'odesa-cranes',
    title: 'Odesa grain terminal cranes',
    sector: 'ports',
    oblast: 'UA-51',
    recipient: 'odesa-port',
    ocid: 'ocds-be6bcu-UA-2026-01-15-000812-b',
    description: 'Four ship-to-shore cranes for the grain corridor.',
  },
  {
    id: 'mykolaiv-water',
    title: 'Mykolaiv drinking water main',
    sector: 'water',
    oblast: 'UA-48',
    recipient: 'mykolaiv-water',
    dreamId: 'DREAM-MK-2026-0093',
    description: 'A new 38 km main from the Dnipro intake replacing the line cut in 2022.',
  },
  {
    id: 'kharkiv-schools',
    title: 'Kharkiv schools with shelters',
    sector: 'education',
    oblast: 'UA-63',
    recipient: 'kharkiv-ova',
    description: 'Twelve schools reopened with underground shelters.',
  },
  {
    id: 'kyiv-demining',
    title: 'Demining of farmland around Kyiv',
    sector: 'demining',
    oblast: 'UA-32',
    recipient: 'demining-centre',
    description: 'Survey and clearance of 4,000 ha of farmland.',
  },
];

const RATES = [
  { base: 'USD', quote: 'EUR', rate: '0.8547', on: '2026-01-02', source: 'ECB euro reference rate (illustrative)' },
  { base: 'GBP', quote: 'EUR', rate: '1.1493', on: '2026-01-02', source: 'ECB euro reference rate (illustrative)' },
  { base: 'EUR', quote: 'UAH', rate: '49.31', on: '2026-01-02', source: 'National Bank of Ukraine official rate (illustrative)' },
];

const CEASEFIRE_60_BUFFER = { type: 'ceasefire-held', days: 60, zones: ['contact-line-buffer'], maxSeverity: 2 } as const;
const CORRIDOR_90 = { type: 'ceasefire-held', days: 90, zones: ['black-sea-corridor'], maxSeverity: 2 } as const;

const PLEDGES = [
  {
    id: 'eu-facility',
    donor: 'eu',
    instrument: 'grant',
    currency: 'EUR',
    amount: '150000000.00',
    on: '2026-01-08',
    title: 'Ukraine Facility: recovery window for the front-line oblasts',
    commitments: [
      {
        id: 'eu-zp-substation',
        project: 'zp-substation',
        amount: '60000000.00',
        on: '2026-01-12',
        tranches: [
          {
            id: 'eu-zp-substation-1',
            label: 'First tranche: transformers',
            amount: '25000000.00',
            plannedOn: '2026-02-10',
            conditions: [{ type: 'framework', condition: 'funding-first' }],
          },
          {
            id: 'eu-zp-substation-2',
            label: 'Second tranche: switchgear and lines',
            amount: '35000000.00',
            plannedOn: '2026-04-15',
            conditions: [{ type: 'framework', condition: 'funding-second' }],
          },
        ],
      },
      {
        id: 'eu-orikhiv',
        project: 'orikhiv-housing',
        amount: '18000000.00',
        on: '2026-01-12',
        tranches: [
          {
            id: 'eu-orikhiv-1',
            label: 'Housing works near the contact line',
            amount: '18000000.00',
            plannedOn: '2026-03-15',
            conditions: [{ type: 'framework-in-force' }, CEASEFIRE_60_BUFFER],
          },
        ],
      },
    ],
  },
  {
    id: 'kfw-water-loan',
    donor: 'kfw',
    instrument: 'loan',
    currency: 'EUR',
    amount: '40000000.00',
    on: '2026-01-09',
    title: 'Promotional loan for municipal water',
    commitments: [
      {
        id: 'kfw-mykolaiv',
        project: 'mykolaiv-water',
        amount: '40000000.00',
        on: '2026-01-14',
        tranches: [
          {
            id: 'kfw-mykolaiv-1',
            label: 'Intake and first 12 km',
            amount: '15000000.00',
            plannedOn: '2026-01-20',
            conditions: [{ type: 'framework-in-force' }],
          },
          {
            id: 'kfw-mykolaiv-2',
            label: 'Remaining 26 km',
            amount: '25000000.00',
            plannedOn: '2026-06-01',
            conditions: [{ type: 'attested', by: 'eu', what: 'Procurement audit of the first works package completed' }],
          },
        ],
      },
    ],
  },
  {
    id: 'uk-schools',
    donor: 'uk-fcdo',
    instrument: 'grant',
    currency: 'GBP',
    amount: '20000000.00',
    on: '2026-01-10',
    title: 'Safe schools in Kharkiv oblast',
    commitments: [
      {
        id: 'uk-kharkiv',
        project: 'kharkiv-schools',
        amount: '20000000.00',
        on: '2026-01-15',
        tranches: [
          {
            id: 'uk-kharkiv-1',
            label: 'Twelve schools',
            amount: '20000000.00',
            plannedOn: '2026-03-01',
            conditions: [{ type: 'ceasefire-held', days: 30, zones: [], maxSeverity: 3 }],
          },
        ],
      },
    ],
  },
  {
    id: 'us-dfc-demining',
    donor: 'us-dfc',
    instrument: 'guarantee',
    currency: 'USD',
    amount: '30000000.00',
    on: '2026-01-10',
    title: 'Loan guarantee for demining contractors',
    commitments: [
      {
        id: 'us-kyiv-demining',
        project: 'kyiv-demining',
        amount: '30000000.00',
        on: '2026-01-16',
        tranches: [
          {
            id: 'us-kyiv-demining-1',
            label: 'Guarantee in effect',
            amount: '30000000.00',
            plannedOn: '2026-02-01',
            conditions: [{ type: 'framework-in-force' }],
          },
        ],
      },
    ],
  },
  {
    id: 'black-sea-cover',
    donor: 'black-sea-mutual',
    instrument: 'war-risk-insurance',
    currency: 'USD',
    amount: '250000000.00',
    on: '2026-01-11',
    title: 'War-risk cover for shipping and port investment (capacity)',
    commitments: [
      {
        id: 'bsm-odesa',
        project: 'odesa-cranes',
        amount: '120000000.00',
        on: '2026-01-16',
        tranches: [
          {
            id: 'bsm-odesa-1',
            label: 'Cover available to port investors',
            amount: '120000000.00',
            plannedOn: '2026-02-01',
            conditions: [{ type: 'framework', condition: 'war-risk-cover' }],
          },
        ],
      },
    ],
  },
  {
    id: 'dnipro-equity',
    donor: 'dnipro-capital',
    instrument: 'equity',
    currency: 'USD',
    amount: '24000000.00',
    on: '2026-01-12',
    title: 'Equity in the Odesa terminal operator',
    commitments: [
      {
        id: 'dnipro-odesa',
        project: 'odesa-cranes',
        amount: '24000000.00',
        on: '2026-01-18',
        tranches: [
          {
            id: 'dnipro-odesa-1',
            label: 'Cranes ordered',
            amount: '24000000.00',
            plannedOn: '2026-03-01',
            conditions: [{ type: 'framework', condition: 'war-risk-cover' }, CORRIDOR_90],
          },
        ],
      },
    ],
  },
];

const FLOWS: Record<string, { disbursed: { amount: string; on: string }[]; spent: { amount: string; on: string; description: string }[] }> =
  {
    'kfw-mykolaiv-1': {
      disbursed: [
        { amount: '9000000.00', on: '2026-01-26' },
        { amount: '6000000.00', on: '2026-03-02' },
      ],
      spent: [
        { amount: '7450000.00', on: '2026-02-20', description: 'Intake pumping station, civil works' },
        { amount: '3120500.40', on: '2026-04-10', description: 'Ductile iron pipe, first 12 km' },
      ],
    },
    'uk-kharkiv-1': {
      disbursed: [{ amount: '8000000.00', on: '2026-03-05' }],
      spent: [{ amount: '2300000.00', on: '2026-04-01', description: 'Shelter works at four schools' }],
    },
  };
