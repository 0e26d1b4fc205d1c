import { z } from 'zod';
import { canRead } from '../../core/access/policy';
import type { Principal } from '../../core/access/roles';
import { fail, ok, type Result } from '../../core/errors';
import { currentDocument, inForceAt } from '../../core/framework/versions';
import { escalationRequest, escalationVisibility, openClocks } from '../../core/guarantees/clock';
import { resolveGuarantees, guaranteeTexts } from '../../core/guarantees/commitments';
import { capAlertOf, capAlerts, capDateTime, capFeed, capXml } from '../../core/guarantees/cap';
import { checkCoverage } from '../../core/guarantees/coverage';
import { currentRung, decideEscalation, nextDeadline, type Escalation, type EscalationCommand } from '../../core/guarantees/ladder';
import { planLadder } from '../../core/guarantees/trigger';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { webhooksFor, type DeadLetter } from '../webhooks';

/**
 * Security guarantees over HTTP: the coverage report of a recorded framework version (the heatmap),
 * the escalations with their clocks and their "who pulls the trigger, and why", the rung commands of
 * the rung's owners, and per guarantor what it is on the hook for. Decisions are in core/guarantees;
 * openings and missed deadlines are appended by the reactors (trigger and clock), not here.
 */

const Cell = z.object({ breachType: z.string(), domain: z.string(), zone: z.string().nullable() });
const Responder = z.object({ party: z.string(), commitment: z.string(), clause: z.string() });
const CoverageOut = z.object({
  version: z.number().int(),
  hash: z.string(),
  blocking: z.boolean(),
  /** The texts the brackets can produce (core's `Variants`: the branching clauses and each variant's label). */
  variants: z.looseObject({ branching: z.array(z.unknown()), variants: z.array(z.looseObject({ label: z.string() })) }),
  matrices: z.array(
    z.object({ variant: z.string(), cells: z.array(Cell.extend({ leads: z.array(Responder), backups: z.array(Responder) })) }),
  ),
  findings: z.array(
    z.object({
      code: z.string(),
      severity: z.enum(['error', 'warning']),
      message: z.string(),
      clauses: z.array(z.string()),
      pointers: z.array(z.string()),
      cells: z.array(Cell),
      commitments: z.array(z.string()),
      variants: z.array(z.string()),
      condition: z.string().nullable(),
    }),
  ),
});

const Actor = z.object({ by: z.string(), at: z.string(), note: z.string() });
const RungOut = z.object({
  index: z.number().int(),
  id: z.string(),
  action: z.string(),
  ownerParties: z.array(z.string()),
  state: z.enum(['opened', 'acknowledged', 'decided', 'responded', 'missed']),
  openedAt: z.string(),
  openedBecause: z.enum(['triggered', 'deadline-missed', 'handed-on']),
  deadline: z.string().nullable(),
  acknowledged: Actor.nullable(),
  decided: Actor.extend({ decision: z.enum(['act', 'not-act']) }).nullable(),
  responded: Actor.nullable(),
  missedAt: z.string().nullable(),
});
export const EscalationOut = z.object({
  id: z.string(),
  version: z.number().int(),
  status: z.enum(['open', 'responded', 'dead-end', 'closed']),
  commitment: z.string(),
  clause: z.string(),
  alternative: z.string().nullable(),
  domain: z.string(),
  against: z.string(),
  openedAt: z.string(),
  /** Core's `EscalationOpening` as recorded: commitment, clause, rule, evidence, ladder plan, explanation. */
  opening: z.record(z.string(), z.unknown()),
  /** The clock: the current rung, its owners and deadline (null when nothing is pending). */
  clock: z.object({
    rung: z.string().nullable(),
    action: z.string().nullable(),
    owners: z.array(z.string()),
    state: z.string().nullable(),
    deadline: z.string().nullable(),
  }),
  /** Who pulls the trigger, and why. */
  why: z.object({
    explanation: z.string(),
    rule: z.string(),
    leadResponder: z.string().nullable(),
    backupResponder: z.string().nullable(),
    guarantors: z.array(z.string()),
    evidence: z.array(
      z.object({
        id: z.string(),
        occurredAt: z.string(),
        verifiedAt: z.string(),
        type: z.string(),
        zones: z.array(z.string()),
        severity: z.number(),
        confidence: z.string(),
        independentSources: z.number(),
        verifier: z.string(),
      }),
    ),
  }),
  evidence: z.array(z.string()),
  ladder: z.array(
    z.object({
      index: z.number().int(),
      id: z.string(),
      action: z.string(),
      owner: z.string(),
      ownerParties: z.array(z.string()),
      deadline: z.string().nullable(),
      delay: z.string().nullable(),
      nextIndex: z.number().int().nullable(),
    }),
  ),
  rungs: z.array(RungOut),
  endedAt: z.string().nullable(),
  closed: z.object({ by: z.string(), reason: z.string() }).nullable(),
});
type EscalationOut = z.infer<typeof EscalationOut>;

export function escalationView(e: Escalation): EscalationOut {
  const o = e.opening;
  const rung = currentRung(e);
  return {
    id: e.id,
    version: e.version,
    status: e.status,
    commitment: o.commitment,
    clause: o.clause,
    alternative: o.alternative,
    domain: o.domain,
    against: o.against,
    openedAt: o.openedAt,
    opening: o as unknown as Record<string, unknown>,
    clock: {
      rung: rung?.id ?? null,
      action: rung?.action ?? null,
      owners: rung ? [...rung.ownerParties] : [],
      state: rung?.state ?? null,
      deadline: nextDeadline(e),
    },
    why: {
      explanation: o.explanation,
      rule: o.rule.text,
      leadResponder: o.leadResponder,
      backupResponder: o.backupResponder,
      guarantors: [...o.guarantors],
      evidence: o.evidence.map((x) => ({ ...x, zones: [...x.zones] })),
    },
    evidence: [...e.evidence],
    ladder: o.ladder.map((r) => ({
      index: r.index,
      id: r.id,
      action: r.action,
      owner: r.owner,
      ownerParties: [...r.ownerParties],
      deadline: r.deadline,
      delay: r.delay,
      nextIndex: r.nextIndex,
    })),
    rungs: e.rungs.map((r) => ({ ...r, ownerParties: [...r.ownerParties] })),
    endedAt: e.endedAt,
    closed: e.closed,
  };
}

/** Visible to the mediator, the guarantors, responders and verifier — never to the party it is against. */
function readable(reader: Principal | null, e: Escalation): boolean {
  return canRead(reader, escalationVisibility(e.opening));
}

function findEscalation(services: Services, reader: Principal | null, id: string): Result<Escalation> {
  const e = services.journal.image.escalations.escalations.get(id);
  // Not visible reads as absent: an escalation's existence is itself sensitive.
  if (!e || !readable(reader, e)) return fail('not_found', `there is no escalation ${id}`, '/params/id');
  return ok(e);
}

const IdParams = z.object({ id: z.string().min(1).max(200) });
const Note = z.string().max(4000).default('');
// `version` (optional): the escalation version the caller decided on; stale → conflict.
const Version = z.number().int().min(1).optional();
const AcknowledgeBody = z.strictObject({ version: Version, note: Note });
const DecideBody = z.strictObject({ version: Version, decision: z.enum(['act', 'not-act']), note: Note });
const RespondBody = z.strictObject({
  version: Version,
  note: z.string().min(1, 'say what was done').max(4000),
  handOn: z.boolean().default(false),
});

async function act(
  services: Services,
  reader: Principal | null,
  idempotencyKey: string | null,
  id: string,
  version: number | undefined,
  command: (by: string) => EscalationCommand,
): Promise<Result<EscalationOut>> {
  const found = findEscalation(services, reader, id);
  if (!found.ok) return found;
  const e = found.value;
  if (!reader?.party) return fail('refused', 'a rung is acted on for a party; this account acts for none');
  if (version !== undefined && e.version !== version) {
    return fail('conflict', `escalation ${id} is at version ${e.version}, not ${version}: reload and decide again`, '/version', {
      version: e.version,
    });
  }
  const decided = decideEscalation(e, command(reader.party), services.now());
  if (!decided.ok) return decided;
  // With an Idempotency-Key, a retry answers from the first append (route.ts) instead of deciding again.
  const appended = await services.journal.append({ ...escalationRequest(e, decided.value, reader.username, reader.party), idempotencyKey });
  if (!appended.ok) return appended;
  return ok(escalationView(services.journal.image.escalations.escalations.get(id)!));
}

const OnTheHookOut = z.object({
  version: z.number().int().nullable(),
  parties: z.array(
    z.object({
      party: z.string(),
      commitments: z.array(
        z.object({
          commitment: z.string(),
          clause: z.string(),
          domain: z.string(),
          as: z.array(z.string()),
          rungs: z.array(z.object({ id: z.string(), action: z.string(), deadline: z.string().nullable() })),
        }),
      ),
      openEscalations: z.array(z.string()),
    }),
  ),
});
type OnTheHookOut = z.infer<typeof OnTheHookOut>;

const DeadLetterOut = z.object({
  id: z.string(),
  webhook: z.string(),
  url: z.string(),
  party: z.string().nullable(),
  eventType: z.string(),
  position: z.number().int(),
  attempts: z.number().int(),
  lastError: z.string(),
  deadAt: z.string(),
});

export const guaranteesRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/guarantees/coverage',
    summary:
      'The coverage check of a recorded framework version: matrices (breach type × domain × zone → lead, backup) and findings with their clauses',
    tag: 'guarantees',
    action: 'guarantees.coverage',
    query: z.object({ version: z.coerce.number().int().min(1).optional() }),
    response: CoverageOut,
    async handler({ services, query }) {
      const state = services.journal.image.framework;
      const number = query.version ?? state.versions.length;
      const v = state.versions[number - 1];
      if (!v)
        return fail('not_found', number === 0 ? 'no framework version is recorded yet' : `there is no version ${number}`, '/query/version');
      const report = checkCoverage(state.documents.get(v.hash)!);
      return ok({
        version: v.number,
        hash: v.hash,
        blocking: report.blocking,
        variants: report.variants as unknown as { branching: unknown[]; variants: { label: string }[] },
        matrices: report.matrices.map((m) => ({
          variant: m.variant,
          cells: m.cells.map((c) => ({ ...c, leads: [...c.leads], backups: [...c.backups] })),
        })),
        findings: report.findings.map((f) => ({
          ...f,
          clauses: [...f.clauses],
          pointers: [...f.pointers],
          cells: [...f.cells],
          commitments: [...f.commitments],
          variants: [...f.variants],
        })),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/guarantees/escalations',
    summary: 'Escalations the reader may see, open first (soonest deadline first), each with its clock and why',
    tag: 'guarantees',
    action: 'escalation.list',
    query: z.object({ status: z.enum(['open', 'responded', 'dead-end', 'closed']).optional() }),
    response: z.object({ escalations: z.array(EscalationOut) }),
    async handler({ services, reader, query }) {
      const state = services.journal.image.escalations;
      const open = openClocks(state).map((c) => c.escalation);
      const ended = [...state.escalations.values()]
        .filter((e) => e.status !== 'open')
        .sort((a, b) => b.opening.openedAt.localeCompare(a.opening.openedAt));
      const list = [...open, ...ended].filter((e) => readable(reader, e) && (!query.status || e.status === query.status));
      return ok({ escalations: list.map(escalationView) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/guarantees/escalations/:id',
    summary: 'One escalation: its rungs, clock, evidence and the rule that matched',
    tag: 'guarantees',
    action: 'escalation.list',
    params: IdParams,
    response: EscalationOut,
    async handler({ services, reader, params }) {
      const found = findEscalation(services, reader, params.id);
      return found.ok ? ok(escalationView(found.value)) : found;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/guarantees/escalations/:id/acknowledge',
    summary: "The current rung's owner acknowledges it",
    tag: 'guarantees',
    action: 'escalation.act',
    params: IdParams,
    body: AcknowledgeBody,
    response: EscalationOut,
    async handler({ services, reader, params, body, idempotencyKey }) {
      return act(services, reader, idempotencyKey, params.id, body.version, (by) => ({ type: 'acknowledge', by, note: body.note }));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/guarantees/escalations/:id/decide',
    summary: "The current rung's owner decides (act or not act)",
    tag: 'guarantees',
    action: 'escalation.act',
    params: IdParams,
    body: DecideBody,
    response: EscalationOut,
    async handler({ services, reader, params, body, idempotencyKey }) {
      return act(services, reader, idempotencyKey, params.id, body.version, (by) => ({
        type: 'decide',
        by,
        decision: body.decision,
        note: body.note,
      }));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/guarantees/escalations/:id/respond',
    summary: "The current rung's owner records the response (handOn: open the next rung now)",
    tag: 'guarantees',
    action: 'escalation.act',
    params: IdParams,
    body: RespondBody,
    response: EscalationOut,
    async handler({ services, reader, params, body, idempotencyKey }) {
      return act(services, reader, idempotencyKey, params.id, body.version, (by) => ({
        type: 'respond',
        by,
        note: body.note,
        handOn: body.handOn,
      }));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/guarantees/on-the-hook',
    summary: 'Per guarantor party: the commitments in force now where it is guarantor, lead, backup or owns a rung',
    tag: 'guarantees',
    action: 'guarantees.on-the-hook',
    query: z.object({ party: z.string().max(64).optional() }),
    response: OnTheHookOut,
    async handler({ services, query, reader }) {
      const state = services.journal.image.framework;
      const force = inForceAt(state, services.now().toISOString());
      const doc = force?.document ?? currentDocument(state);
      if (!doc) return ok({ version: null, parties: [] });
      const resolved = resolveGuarantees(doc);
      const text = resolved.ok ? resolved.value : guaranteeTexts(doc, { limit: 1 }).texts[0];
      if (!text) return ok({ version: force?.number ?? state.versions.length, parties: [] });
      const byParty = new Map<string, OnTheHookOut['parties'][number]>();
      const entry = (party: string) => {
        let e = byParty.get(party);
        if (!e) byParty.set(party, (e = { party, commitments: [], openEscalations: [] }));
        return e;
      };
      for (const c of text.commitments) {
        const plan = planLadder(c, text.parties);
        const parties = new Set<string>([
          ...c.guarantors,
          ...c.guarantorMembers,
          ...(c.leadResponder ? [c.leadResponder] : []),
          ...(c.backupResponder ? [c.backupResponder] : []),
          ...plan.flatMap((r) => r.actors),
        ]);
        for (const p of parties) {
          const as: string[] = [];
          if (c.guarantors.includes(p) || c.guarantorMembers.includes(p)) as.push('guarantor');
          if (c.leadResponder === p) as.push('lead');
          if (c.backupResponder === p) as.push('backup');
          const rungs = plan.filter((r) => r.actors.includes(p));
          if (rungs.length) as.push('rung-owner');
          entry(p).commitments.push({
            commitment: c.id,
            clause: c.source.clause,
            domain: c.domain,
            as,
            rungs: rungs.map((r) => ({ id: r.id, action: r.action, deadline: r.deadline })),
          });
        }
      }
      for (const e of services.journal.image.escalations.escalations.values()) {
        if (e.status !== 'open' || !readable(reader, e)) continue;
        for (const p of currentRung(e)?.ownerParties ?? []) entry(p).openEscalations.push(e.id);
      }
      const parties = [...byParty.values()]
        .filter((p) => !query.party || p.party === query.party)
        .sort((a, b) => a.party.localeCompare(b.party));
      return ok({ version: force?.number ?? state.versions.length, parties });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/alerts/cap.xml',
    summary: 'Atom feed of CAP 1.2 alerts for verified public events (civilian casualties, notified sites struck)',
    tag: 'guarantees',
    action: 'cap.read',
    response: null,
    raw: true,
    async handler({ services, reply }) {
      const image = services.journal.image;
      const alerts = capAlerts(image.operations, image.deconfliction, CAP_SENDER);
      reply
        .type('application/atom+xml; charset=utf-8')
        .send(capFeed(alerts, '/api/v1/alerts/cap', capDateTime(services.now().toISOString())));
      return ok(undefined);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/alerts/cap/:id',
    summary: 'One CAP 1.2 alert (`/api/v1/alerts/cap/<case id>.xml`) for a verified public event',
    tag: 'guarantees',
    action: 'cap.read',
    params: z.object({ id: z.string().regex(/^[A-Za-z0-9._:-]{1,80}\.xml$/, 'a case id followed by .xml') }),
    response: null,
    raw: true,
    async handler({ services, reply, params }) {
      const caseId = params.id.slice(0, -'.xml'.length);
      const image = services.journal.image;
      const alert = capAlertOf(image.operations, image.deconfliction, caseId, CAP_SENDER);
      // Unverified, private or unknown all read the same: there is no public alert.
      if (!alert) return fail('not_found', `there is no public alert for case ${caseId}`, '/params/id');
      reply.type('application/cap+xml; charset=utf-8').send(capXml(alert));
      return ok(undefined);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/webhooks',
    summary: "Register a guarantor system's URL and shared secret for escalation events (signed, retried, dead-lettered)",
    tag: 'guarantees',
    action: 'webhook.register',
    status: 201,
    body: z.strictObject({
      url: z.url({ protocol: /^https?$/, message: 'an http(s) URL' }),
      secret: z.string().min(16, 'a secret of at least 16 characters').max(256),
      /** Admins only: the party whose events it receives (omitted: every escalation event). Guarantors register for their own party. */
      party: z.string().max(64).optional(),
    }),
    response: z.object({ id: z.string(), url: z.string(), party: z.string().nullable(), registeredAt: z.string() }),
    async handler({ services, reader, body }) {
      const isAdmin = reader?.roles.includes('admin') ?? false;
      if (!isAdmin) {
        if (!reader?.party) return fail('refused', 'a guarantor registers a webhook for its party; this account acts for none');
        if (body.party !== undefined && body.party !== reader.party)
          return fail('refused', `you may register webhooks for ${reader.party} only`, '/party');
      }
      const party = isAdmin ? (body.party ?? null) : reader!.party;
      const reg = await webhooksFor(services).register({ url: body.url, secret: body.secret, party, registeredBy: reader!.username });
      return ok({ id: reg.id, url: reg.url, party: reg.party, registeredAt: reg.registeredAt });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/webhooks/dead-letters',
    summary: 'Deliveries that failed every attempt (an admin sees all; a guarantor its party’s)',
    tag: 'guarantees',
    action: 'webhook.dead-letters',
    response: z.object({ deadLetters: z.array(DeadLetterOut) }),
    async handler({ services, reader }) {
      const all = await webhooksFor(services).deadLetters();
      return ok({ deadLetters: all.filter((d) => mayHandle(reader, d)).map(deadLetterView) });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/webhooks/dead-letters/:id/replay',
    summary: 'Put a dead letter back on the delivery queue',
    tag: 'guarantees',
    action: 'webhook.replay',
    params: IdParams,
    response: z.object({ replayed: DeadLetterOut }),
    async handler({ services, reader, params }) {
      const hooks = webhooksFor(services);
      const letter = (await hooks.deadLetters()).find((d) => d.id === params.id);
      if (!letter || !mayHandle(reader, letter)) return fail('not_found', `there is no dead letter ${params.id}`, '/params/id');
      const replayed = await hooks.replay(params.id);
      if (!replayed) return fail('not_found', `the webhook of dead letter ${params.id} is gone`, '/params/id');
      return ok({ replayed: deadLetterView(replayed) });
    },
  }),
];

function mayHandle(reader: Principal | null, d: DeadLetter): boolean {
  return (reader?.roles.includes('admin') ?? false) || (reader?.party != null && reader.party === d.party);
}

function deadLetterView(d: DeadLetter): z.infer<typeof DeadLetterOut> {
  // The body is not echoed: it may carry what only the webhook's party may read.
  return {
    id: d.id,
    webhook: d.webhook,
    url: d.url,
    party: d.party,
    eventType: d.eventType,
    position: d.position,
    attempts: d.attempts,
    lastError: d.lastError,
    deadAt: d.deadAt,
  };
}

/** The CAP sender of this installation (no spaces, commas or markup, per CAP 1.2). */
const CAP_SENDER = 'entente-mechanism';
