import type { TrancheEvaluation } from './conditions';
import { explainEvaluation } from './conditions';
import type { Actor, Commitment, ProsperityState } from './state';

/**
 * An OCDS 1.1 release package: one release per commitment, read as a financing contract (Prozorro and
 * DREAM speak OCDS). The donor is the funder, the recipient the buyer; tranches are the contract's
 * financing milestones (met / notMet with the date met or the date due), disbursements its
 * implementation transactions; a project's own Prozorro process is linked by its ocid.
 *
 * OCDS amounts are JSON numbers; they are written here as the exact decimal literal of the journal
 * ("1250000.50"), never through a float. Validated in tests against ../shared/schemas/ocds/.
 */

export const OCID_PREFIX = 'ocds-entente';

// A marker that the serialiser turns back into a bare number literal.
const AMOUNT = '\u0000amount:';
const amount = (decimal: string) => `${AMOUNT}${decimal}`;

const value = (decimal: string, currency: string) => ({ amount: amount(decimal), currency });
const instant = (day: string) => (day.length === 10 ? `${day}T00:00:00Z` : day);
const orgRef = (a: Actor | undefined, fallback: string) => ({ id: a?.id ?? fallback, name: a?.name ?? fallback });

function release(state: ProsperityState, c: Commitment, evaluations: ReadonlyMap<string, TrancheEvaluation>) {
  const pledge = state.pledges.get(c.pledge)!;
  const project = state.projects.get(c.project)!;
  const donor = state.actors.get(pledge.donor);
  const recipient = state.actors.get(project.recipient);
  const tranches = c.tranches.map((t) => state.tranches.get(t)!);
  const disbursements = tranches.flatMap((t) => t.disbursements.map((d) => ({ d, t })));
  const positions = [
    c.position,
    ...tranches.flatMap((t) => [t.position, t.release?.position ?? 0, ...t.disbursements.map((d) => d.position)]),
  ];
  const latest = [c.recordedAt, ...tranches.flatMap((t) => [t.plannedAt, t.release?.at ?? '', ...t.disbursements.map((d) => d.recordedAt)])]
    .sort()
    .pop()!;
  const awardId = `${c.id}-award`;
  return {
    ocid: `${OCID_PREFIX}-${c.id}`,
    id: `${c.id}-${Math.max(...positions)}`,
    date: latest,
    tag: disbursements.length ? ['contract', 'implementation'] : ['contract'],
    initiationType: 'tender',
    language: 'en',
    parties: [
      { ...orgRef(donor, pledge.donor), roles: ['funder'], details: { instrument: pledge.instrument, pledge: pledge.id } },
      { ...orgRef(recipient, project.recipient), roles: ['buyer', 'payee'] },
    ],
    buyer: orgRef(recipient, project.recipient),
    planning: {
      budget: {
        id: pledge.id,
        description: pledge.title,
        amount: value(pledge.amount, pledge.currency),
        project: project.title,
        projectID: project.dreamId ?? project.id,
      },
    },
    awards: [{ id: awardId, title: project.title, status: 'active', date: instant(c.on), value: value(c.amount, pledge.currency) }],
    contracts: [
      {
        id: c.id,
        awardID: awardId,
        title: `${pledge.instrument}: ${project.title}`,
        status: 'active',
        dateSigned: instant(c.on),
        value: value(c.amount, pledge.currency),
        milestones: tranches.map((t) => {
          const e = evaluations.get(t.id);
          const met = t.release !== null || e?.releasable === true;
          return {
            id: t.id,
            title: t.label,
            type: 'financing',
            description: t.release ? `released by ${t.release.by}` : e ? explainEvaluation(e) : 'not evaluated',
            status: met ? 'met' : 'notMet',
            ...(met && (t.release?.at ?? e?.since) ? { dateMet: t.release?.at ?? e!.since } : {}),
            ...(!met && e?.unlocksAt ? { dueDate: e.unlocksAt } : {}),
            value: value(t.amount, t.currency),
          };
        }),
        implementation: {
          transactions: disbursements.map(({ d, t }) => ({
            id: d.id,
            source: `tranche ${t.id}`,
            date: instant(d.on),
            value: value(d.amount, t.currency),
            payer: orgRef(donor, pledge.donor),
            payee: orgRef(recipient, project.recipient),
          })),
        },
      },
    ],
    ...(project.ocid
      ? {
          relatedProcesses: [
            { id: '1', relationship: ['planning'], title: 'Procurement on Prozorro', scheme: 'ocid', identifier: project.ocid },
          ],
        }
      : {}),
  };
}

/** The package as JSON text, with amounts as exact decimal literals. */
export function ocdsReleasePackage(
  state: ProsperityState,
  evaluations: ReadonlyMap<string, TrancheEvaluation>,
  now: string,
  uri: string,
): string {
  const releases = [...state.commitments.values()].sort((a, b) => a.position - b.position).map((c) => release(state, c, evaluations));
  const pkg = {
    uri,
    version: '1.1',
    publishedDate: now,
    publisher: { name: 'Mediation Secretariat (Entente prosperity package)' },
    license: 'https://creativecommons.org/licenses/by/4.0/',
    publicationPolicy: 'https://entente.example/prosperity/publication-policy',
    releases,
  };
  return JSON.stringify(pkg, null, 2).replace(/"\\u0000amount:([0-9]+(?:\.[0-9]+)?)"/g, '$1');
}
