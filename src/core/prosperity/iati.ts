import type { TrancheEvaluation } from './conditions';
import { explainEvaluation } from './conditions';
import { OBLASTS, SECTORS, type ActorKind, type Instrument } from './model';
import type { Actor, Project, ProsperityState, Tranche } from './state';

/**
 * IATI 2.03 activity XML: one activity per project, as donors already publish to d-portal and the
 * IATI registry. Commitments are outgoing commitments (type 2), disbursements (3) and expenditures
 * (4) are transactions; tranches not yet released are planned disbursements; each tranche's
 * conditions are the activity's performance conditions, with their state on the day of export.
 * Validated in tests against ../shared/schemas/iati/iati-activities-schema.xsd.
 */

/** The publisher's IATI organisation identifier (illustrative: the secretariat has none registered). */
export const PUBLISHER_REF = 'XI-IATI-ENTENTE';
export const PUBLISHER_NAME = 'Mediation Secretariat (Entente prosperity package)';

/** IATI OrganisationType codes. */
const ORG_TYPE: Record<ActorKind, string> = {
  'donor-state': '10',
  multilateral: '40',
  'development-bank': '40',
  'private-investor': '70',
  insurer: '70',
  recipient: '10',
};

/** IATI FinanceType codes per instrument. */
export const FINANCE_TYPE: Record<Instrument, string> = {
  grant: '110',
  loan: '421',
  equity: '510',
  guarantee: '1100',
  'war-risk-insurance': '1100',
};

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const narrative = (text: string) => `<narrative>${esc(text)}</narrative>`;

function org(tag: string, actor: Actor | undefined, attrs: string): string {
  const type = actor ? ` type="${ORG_TYPE[actor.kind]}"` : '';
  return `<${tag}${attrs}${type}>${narrative(actor?.name ?? 'unknown')}</${tag}>`;
}

export function activityIdentifier(project: Project): string {
  return `${PUBLISHER_REF}-${project.id}`;
}

interface ProjectMoney {
  readonly project: Project;
  readonly commitments: { id: string; on: string; amount: string; currency: string; donor: Actor | undefined; instrument: Instrument }[];
  readonly tranches: Tranche[];
}

function moneyOf(state: ProsperityState, project: Project): ProjectMoney {
  const commitments: ProjectMoney['commitments'] = [];
  const tranches: Tranche[] = [];
  for (const c of state.commitments.values()) {
    if (c.project !== project.id) continue;
    const pledge = state.pledges.get(c.pledge)!;
    commitments.push({
      id: c.id,
      on: c.on,
      amount: c.amount,
      currency: pledge.currency,
      donor: state.actors.get(pledge.donor),
      instrument: pledge.instrument,
    });
    for (const t of c.tranches) tranches.push(state.tranches.get(t)!);
  }
  return { project, commitments, tranches };
}

function activity(state: ProsperityState, m: ProjectMoney, evaluations: ReadonlyMap<string, TrancheEvaluation>, now: string): string {
  const { project } = m;
  const recipient = state.actors.get(project.recipient);
  const donors = [...new Map(m.commitments.map((c) => [c.donor?.id ?? '', c.donor])).values()];
  const started = m.tranches.some((t) => t.disbursements.length > 0);
  const firstDay = m.commitments.map((c) => c.on).sort()[0] ?? project.registeredAt.slice(0, 10);
  const sector = SECTORS[project.sector];
  const out: string[] = [];
  out.push(`<iati-activity last-updated-datetime="${now}" xml:lang="en" default-currency="EUR">`);
  out.push(`<iati-identifier>${esc(activityIdentifier(project))}</iati-identifier>`);
  out.push(`<reporting-org ref="${PUBLISHER_REF}" type="40">${narrative(PUBLISHER_NAME)}</reporting-org>`);
  out.push(`<title>${narrative(project.title)}</title>`);
  out.push(`<description type="1">${narrative(project.description || project.title)}</description>`);
  for (const d of donors) out.push(org('participating-org', d, ' role="1"'));
  out.push(org('participating-org', recipient, ' role="4"'));
  if (project.dreamId) {
    out.push(
      `<other-identifier ref="${esc(project.dreamId)}" type="A3"><owner-org>${narrative('DREAM (Digital Restoration Ecosystem for Accountable Management), Ukraine')}</owner-org></other-identifier>`,
    );
  }
  out.push(`<activity-status code="${started ? '2' : '1'}"/>`);
  out.push(`<activity-date type="${started ? '2' : '1'}" iso-date="${firstDay}"/>`);
  out.push('<recipient-country code="UA" percentage="100"/>');
  out.push(`<location><name>${narrative(OBLASTS[project.oblast].en)}</name></location>`);
  out.push(`<sector vocabulary="1" code="${sector.dac}" percentage="100">${narrative(sector.en)}</sector>`);
  for (const t of m.tranches) {
    if (t.release) continue;
    const donor = state.actors.get(state.pledges.get(t.pledge)!.donor);
    out.push(
      `<planned-disbursement type="1"><period-start iso-date="${t.plannedOn}"/><value currency="${t.currency}" value-date="${t.plannedOn}">${t.amount}</value>${org('provider-org', donor, '')}${org('receiver-org', recipient, '')}</planned-disbursement>`,
    );
  }
  const transaction = (
    code: string,
    day: string,
    amount: string,
    currency: string,
    text: string,
    donor: Actor | undefined,
    instrument: Instrument,
  ) =>
    `<transaction><transaction-type code="${code}"/><transaction-date iso-date="${day}"/><value currency="${currency}" value-date="${day}">${amount}</value><description>${narrative(text)}</description>${org('provider-org', donor, '')}${org('receiver-org', recipient, '')}<finance-type code="${FINANCE_TYPE[instrument]}"/></transaction>`;
  for (const c of m.commitments)
    out.push(transaction('2', c.on, c.amount, c.currency, `commitment ${c.id} (${c.instrument})`, c.donor, c.instrument));
  for (const t of m.tranches) {
    const pledge = state.pledges.get(t.pledge)!;
    const donor = state.actors.get(pledge.donor);
    for (const d of t.disbursements)
      out.push(transaction('3', d.on, d.amount, t.currency, `disbursement from tranche ${t.label}`, donor, pledge.instrument));
    for (const e of t.expenditures) out.push(transaction('4', e.on, e.amount, t.currency, e.text, donor, pledge.instrument));
  }
  const conditioned = m.tranches.filter((t) => t.conditions.length > 0);
  if (conditioned.length > 0) {
    out.push('<conditions attached="1">');
    for (const t of conditioned) {
      const e = evaluations.get(t.id);
      const state = t.release ? `released on ${t.release.at.slice(0, 10)}` : e ? (e.releasable ? 'releasable' : 'locked') : 'not evaluated';
      const what = e ? e.conditions.map((c) => c.label).join('; ') : `${t.conditions.length} conditions`;
      out.push(
        `<condition type="2">${narrative(`Tranche "${t.label}" (${t.amount} ${t.currency}): ${what}. State: ${state}${e && !e.releasable && !t.release ? ` (${explainEvaluation(e)})` : ''}.`)}</condition>`,
      );
    }
    out.push('</conditions>');
  }
  out.push('</iati-activity>');
  return out.join('\n');
}

/** The whole package as one IATI activities file (projects with money only). */
export function iatiActivities(state: ProsperityState, evaluations: ReadonlyMap<string, TrancheEvaluation>, now: string): string {
  const generated = now.replace(/\.\d+Z$/, 'Z');
  const activities = [...state.projects.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((p) => moneyOf(state, p))
    .filter((m) => m.commitments.length > 0)
    .map((m) => activity(state, m, evaluations, generated));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" generated-datetime="${generated}">\n${activities.join('\n')}\n</iati-activities>\n`;
}
