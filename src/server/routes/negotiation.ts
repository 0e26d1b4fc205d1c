import { z } from 'zod';
import { canRead } from '../../core/access/policy';
import type { Principal } from '../../core/access/roles';
import { ok } from '../../core/errors';
import { currentDocument } from '../../core/framework/versions';
import { fail } from '../../core/errors';
import { diffFrameworks } from '../../core/framework/diff';
import { decideMerge, proposalBasis } from '../../core/negotiation/merge';
import { CommentInput, Gradient, MergeSelection, PositionInput, ProposalInput, Sharing } from '../../core/negotiation/model';
import type { PositionRecord } from '../../core/negotiation/state';
import {
  clausesOf,
  consoleView,
  decideComment,
  decideDraft,
  decidePosition,
  decideProposalStep,
  gapMap,
  partiesFor,
  trend,
  visiblePositions,
  zopa,
  type ProposalStep,
} from '../../core/negotiation/workspace';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { appendAs, newId } from './identity';

const PositionOut = z.object({
  party: z.string(),
  clause: z.string(),
  alternative: z.string().nullable(),
  gradient: Gradient,
  reason: z.string(),
  redLine: z.string().nullable(),
  sharing: Sharing,
  recordedAt: z.string(),
  asOf: z.string(),
  actor: z.string(),
});
const positionOut = (r: PositionRecord): z.infer<typeof PositionOut> => ({
  party: r.party,
  clause: r.clause,
  alternative: r.alternative,
  gradient: r.gradient,
  reason: r.reason,
  redLine: r.redLine,
  sharing: r.sharing,
  recordedAt: r.recordedAt,
  asOf: r.asOf,
  actor: r.actor,
});

const Gap = z.object({ spread: z.number(), blocks: z.number().int(), shared: z.number().int() }).nullable();
const GapMapOut = z.object({
  parties: z.array(z.string()),
  clauses: z.array(
    z.object({
      clause: z.string(),
      title: z.string(),
      status: z.string(),
      openBrackets: z.number().int(),
      cells: z.record(z.string(), z.object({ gradient: z.string(), alternative: z.string().nullable(), sharing: z.string() }).nullable()),
      gap: Gap,
    }),
  ),
  alignment: z.array(z.object({ a: z.string(), b: z.string(), score: z.number().min(0).max(1) })),
});
const TestedClauseOut = z.object({
  clause: z.string(),
  title: z.string(),
  gap: Gap,
  comparisons: z.array(
    z.object({
      id: z.string(),
      scenario: z.string(),
      runs: z.number().int(),
      seed: z.number().int(),
      attachedAt: z.string(),
      headline: z.string().nullable(),
      arms: z.array(
        z.object({
          alternative: z.string(),
          label: z.string(),
          gapBreachesPerRun: z.number(),
          gapShare: z.number(),
          reachedShare: z.number(),
          open: z.boolean(),
        }),
      ),
    }),
  ),
});
const ProposalOut = z.object({
  id: z.string(),
  clause: z.string(),
  kind: z.enum(['alternative', 'amendment']),
  alternative: z.string().nullable(),
  text: z.object({ en: z.string(), uk: z.string() }),
  /** The words it was written against (the clause's, and the amended alternative's). */
  basis: z.object({ clause: z.record(z.string(), z.string()), alternative: z.record(z.string(), z.string()).nullable() }).nullable(),
  merged: z.object({ number: z.number().int(), hash: z.string() }).nullable(),
  note: z.string(),
  party: z.string(),
  author: z.string(),
  state: z.enum(['draft', 'tabled', 'accepted', 'rejected', 'withdrawn']),
  draftedAt: z.string(),
  updatedAt: z.string(),
});
const MergeApplied = z.object({
  proposal: z.string(),
  clause: z.string(),
  change: z.enum(['amended-text', 'amended-alternative', 'added-alternative']),
  alternative: z.string().nullable(),
});
const Appended = z.object({ position: z.number().int(), hash: z.string() });
const IdParams = z.object({ id: z.string().min(1).max(100) }).strict();
const ClauseQuery = z.object({ clause: z.string().min(1).max(100).optional() }).strict();

function doc(services: Services) {
  return currentDocument(services.journal.image.framework);
}
function mapFor(services: Services, reader: Principal) {
  const state = services.journal.image.negotiation;
  const d = doc(services);
  return gapMap(state, reader, clausesOf(d), partiesFor(state, reader, d));
}

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const GRADIENT_COLOURS = ['#1a9850', '#66bd63', '#a6d96a', '#e0e0e0', '#fee08b', '#fdae61', '#f46d43', '#a50026'];

function stepRoute(step: 'table' | 'withdraw' | 'retable', summary: string) {
  return defineRoute({
    method: 'POST',
    url: `/api/v1/negotiation/proposals/:id/${step}`,
    summary,
    tag: 'negotiation',
    action: 'negotiation.propose',
    params: IdParams,
    status: 201,
    response: Appended,
    async handler({ params, reader, services, idempotencyKey }) {
      return appendAs(services, reader, decideProposalStep(services.journal.image.negotiation, reader!, params.id, step), idempotencyKey);
    },
  });
}

export const negotiationRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/negotiation/positions',
    summary:
      "Record the party's stance on a clause (or one of its alternatives) on the 8-point gradient, shared with itself, the mediator or all",
    tag: 'negotiation',
    action: 'negotiation.position',
    body: PositionInput,
    status: 201,
    response: z.object({ position: z.number().int(), hash: z.string() }),
    async handler({ body, reader, services, idempotencyKey }) {
      return appendAs(services, reader, decidePosition(clausesOf(doc(services)), reader!, body), idempotencyKey);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/negotiation/positions',
    summary: 'The latest positions the reader may see (one per party, clause and alternative) and their older ones',
    tag: 'negotiation',
    action: 'negotiation.read',
    query: ClauseQuery,
    response: z.object({ positions: z.array(PositionOut), history: z.array(PositionOut) }),
    async handler({ query, reader, services }) {
      const v = visiblePositions(services.journal.image.negotiation, reader!, query.clause);
      return ok({ positions: v.latest.map(positionOut), history: v.older.map(positionOut) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/negotiation/positions.csv',
    summary: 'The positions the reader may see, as CSV',
    tag: 'negotiation',
    action: 'negotiation.read',
    query: ClauseQuery,
    response: null,
    raw: true,
    async handler({ query, reader, services, reply }) {
      const v = visiblePositions(services.journal.image.negotiation, reader!, query.clause);
      const head = 'party,clause,alternative,gradient,reason,redLine,sharing,asOf,recordedAt,actor,latest';
      const row = (r: PositionRecord, latest: boolean) =>
        [
          r.party,
          r.clause,
          r.alternative ?? '',
          r.gradient,
          r.reason,
          r.redLine ?? '',
          r.sharing,
          r.asOf,
          r.recordedAt,
          r.actor,
          String(latest),
        ]
          .map(csvCell)
          .join(',');
      const body = [head, ...v.latest.map((r) => row(r, true)), ...v.older.map((r) => row(r, false))].join('\r\n') + '\r\n';
      await reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="positions.csv"').send(body);
      return ok(undefined);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/negotiation/gap-map',
    summary:
      'Clauses × parties: each party’s gradient, the gap per clause and pairwise alignment, from the positions the reader may see only',
    tag: 'negotiation',
    action: 'negotiation.read',
    response: GapMapOut,
    async handler({ reader, services }) {
      return ok(mapFor(services, reader!));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/negotiation/gap-map.svg',
    summary: 'The gap map as an SVG heat map, per the reader’s visibility',
    tag: 'negotiation',
    action: 'negotiation.read',
    response: null,
    raw: true,
    async handler({ reader, services, reply }) {
      const map = mapFor(services, reader!);
      const cw = 36;
      const rh = 18;
      const left = 220;
      const top = 24;
      const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
      const parts: string[] = [];
      map.parties.forEach((p, i) =>
        parts.push(`<text x="${left + i * cw + cw / 2}" y="16" text-anchor="middle">${esc(p.toUpperCase())}</text>`),
      );
      map.clauses.forEach((c, j) => {
        const y = top + j * rh;
        parts.push(`<text x="4" y="${y + 13}">${esc(c.clause)}</text>`);
        map.parties.forEach((p, i) => {
          const cell = c.cells[p];
          const point = cell ? Gradient.options.indexOf(cell.gradient as Gradient) : -1;
          const fill = point >= 0 ? GRADIENT_COLOURS[point] : '#ffffff';
          parts.push(
            `<rect x="${left + i * cw}" y="${y}" width="${cw - 2}" height="${rh - 2}" fill="${fill}" stroke="#999"><title>${esc(`${p} · ${c.clause}: ${cell ? cell.gradient : 'no position'}`)}</title></rect>`,
          );
        });
        if (c.gap)
          parts.push(
            `<text x="${left + map.parties.length * cw + 6}" y="${y + 13}">${c.gap.spread}${c.gap.blocks ? ` ⛔${c.gap.blocks}` : ''}</text>`,
          );
      });
      const width = left + map.parties.length * cw + 60;
      const height = top + map.clauses.length * rh + 8;
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11" role="img" aria-label="gap map">${parts.join('')}</svg>`;
      await reply.type('image/svg+xml; charset=utf-8').send(svg);
      return ok(undefined);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/negotiation/trend',
    summary: 'The gap week by week (by the date each stance was taken), from the reader’s visible history',
    tag: 'negotiation',
    action: 'negotiation.read',
    response: z.object({
      weeks: z.array(z.object({ week: z.string(), meanSpread: z.number(), blocks: z.number().int(), clauses: z.number().int() })),
    }),
    async handler({ reader, services }) {
      return ok({ weeks: trend(services.journal.image.negotiation, reader!) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/negotiation/zopa',
    summary: 'Per clause, the alternatives no party blocks and every party rates support-with-reservations or better; and who blocks',
    tag: 'negotiation',
    action: 'negotiation.mediate',
    response: z.object({
      clauses: z.array(z.object({ clause: z.string(), acceptable: z.array(z.string()), blockedBy: z.array(z.string()) })),
    }),
    async handler({ reader, services }) {
      return ok({ clauses: zopa(services.journal.image.negotiation, reader!, clausesOf(doc(services))) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/negotiation/console',
    summary: "The mediator's console: the smallest non-zero gaps first, the blocked clauses, and the clauses with stress-test results",
    tag: 'negotiation',
    action: 'negotiation.mediate',
    response: z.object({
      next: z.array(z.object({ clause: z.string(), spread: z.number() })),
      blocked: z.array(z.object({ clause: z.string(), parties: z.array(z.string()) })),
      tested: z.array(TestedClauseOut),
    }),
    async handler({ reader, services }) {
      // Attached comparisons are journaled for the whole process; the check stays should that ever change.
      const comparisons = canRead(reader, ['process']) ? [...services.journal.image.stress.comparisons.values()] : [];
      return ok(consoleView(mapFor(services, reader!), clausesOf(doc(services)), comparisons));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/negotiation/proposals',
    summary: 'Draft a proposal (an alternative or an amendment); the draft is visible to the drafting party only',
    tag: 'negotiation',
    action: 'negotiation.propose',
    body: ProposalInput,
    status: 201,
    response: z.object({ id: z.string(), position: z.number().int(), hash: z.string() }),
    async handler({ body, reader, services, idempotencyKey }) {
      const id = newId(reader, idempotencyKey);
      const appended = await appendAs(
        services,
        reader,
        decideDraft(clausesOf(doc(services)), reader!, id, body, proposalBasis(doc(services), body.clause, body.alternative)),
        idempotencyKey,
        {
          [`proposal/${id}`]: 'new',
        },
      );
      return appended.ok ? ok({ id, ...appended.value }) : appended;
    },
    replay: (events) => {
      const e = events[events.length - 1]!;
      return ok({ id: String(e.payload.id), position: e.position, hash: e.hash });
    },
  }),
  stepRoute('table', 'Table a draft proposal: from now on every participant sees it'),
  stepRoute('withdraw', 'Withdraw a proposal (a draft stays private to its party)'),
  stepRoute('retable', 'Table a withdrawn proposal again'),
  defineRoute({
    method: 'POST',
    url: '/api/v1/negotiation/proposals/:id/decision',
    summary: 'The mediator records that a tabled proposal was accepted or rejected',
    tag: 'negotiation',
    action: 'negotiation.decide',
    params: IdParams,
    body: z.object({ decision: z.enum(['accepted', 'rejected']) }).strict(),
    status: 201,
    response: Appended,
    async handler({ params, body, reader, services, idempotencyKey }) {
      const step: ProposalStep = body.decision;
      return appendAs(services, reader, decideProposalStep(services.journal.image.negotiation, reader!, params.id, step), idempotencyKey);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/negotiation/proposals',
    summary: 'The proposals the reader may see: tabled ones, and its own party’s drafts',
    tag: 'negotiation',
    action: 'negotiation.read',
    query: ClauseQuery,
    response: z.object({ proposals: z.array(ProposalOut) }),
    async handler({ query, reader, services }) {
      const all = [...services.journal.image.negotiation.proposals.values()].filter(
        (p) => (query.clause === undefined || p.clause === query.clause) && canRead(reader, p.visibility),
      );
      return ok({ proposals: all.map(({ visibility: _v, ...p }) => ({ ...p, text: { ...p.text } })) });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/negotiation/merge/preview',
    summary: 'What merging these accepted proposals (and resolving these brackets) would change: the clause-level diff, nothing recorded',
    tag: 'negotiation',
    action: 'negotiation.mediate',
    body: MergeSelection,
    response: z.object({
      from: z.object({ number: z.number().int(), hash: z.string() }),
      hash: z.string(),
      applied: z.array(MergeApplied),
      resolved: z.array(z.object({ clause: z.string(), alternative: z.string() })),
      diff: z.record(z.string(), z.unknown()),
    }),
    async handler({ body, reader, services }) {
      const framework = services.journal.image.framework;
      const decided = decideMerge(framework, services.journal.image.negotiation, reader!, body);
      if (!decided.ok) return decided;
      const current = currentDocument(framework)!;
      return ok({
        from: decided.value.previous,
        hash: decided.value.hash,
        applied: decided.value.applied.map((a) => ({ ...a })),
        resolved: decided.value.resolved.map((r) => ({ ...r })),
        diff: diffFrameworks(current, decided.value.document) as unknown as Record<string, unknown>,
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/negotiation/merge',
    summary: 'Record the next framework version from accepted proposals (and resolved brackets), in one append with the event naming them',
    tag: 'negotiation',
    action: 'negotiation.merge',
    body: MergeSelection,
    status: 201,
    response: z.object({ number: z.number().int(), hash: z.string(), position: z.number().int(), proposals: z.array(z.string()) }),
    async handler({ body, reader, services, idempotencyKey }) {
      const framework = services.journal.image.framework;
      const decided = decideMerge(framework, services.journal.image.negotiation, reader!, body);
      if (!decided.ok) return decided;
      const stream = `framework/${framework.processId}`;
      // Decided on the text as it is now: a version recorded meanwhile makes this a conflict, not a silent overwrite.
      const expected = { [stream]: services.journal.image.index.streams.get(stream) ?? 'new' } as const;
      const appended = await appendAs(services, reader, ok(decided.value.drafts), idempotencyKey, expected);
      if (!appended.ok) return appended;
      const { number, hash } = decided.value;
      return ok({ number, hash, position: appended.value.position, proposals: decided.value.applied.map((a) => a.proposal) });
    },
    replay: (events) => {
      const e = events.find((x) => x.type === 'negotiation.proposals-merged');
      if (!e) return fail('internal', 'the first answer to this key was not a merge');
      const last = events[events.length - 1]!;
      return ok({
        number: Number(e.payload.number),
        hash: String(e.payload.hash),
        position: last.position,
        proposals: (e.payload.proposals as string[]) ?? [],
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/negotiation/comments',
    summary: 'Comment on a clause, shared with the own party, the mediator or all',
    tag: 'negotiation',
    action: 'negotiation.comment',
    body: CommentInput,
    status: 201,
    response: Appended,
    async handler({ body, reader, services, idempotencyKey }) {
      return appendAs(services, reader, decideComment(clausesOf(doc(services)), reader!, body), idempotencyKey);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/negotiation/comments',
    summary: 'The comments on a clause the reader may see',
    tag: 'negotiation',
    action: 'negotiation.read',
    query: ClauseQuery,
    response: z.object({
      comments: z.array(
        z.object({
          clause: z.string(),
          text: z.string(),
          sharing: Sharing,
          party: z.string().nullable(),
          actor: z.string(),
          recordedAt: z.string(),
        }),
      ),
    }),
    async handler({ query, reader, services }) {
      const comments = services.journal.image.negotiation.comments
        .filter((c) => (query.clause === undefined || c.clause === query.clause) && canRead(reader, c.visibility))
        .map((c) => ({ clause: c.clause, text: c.text, sharing: c.sharing, party: c.party, actor: c.actor, recordedAt: c.recordedAt }));
      return ok({ comments });
    },
  }),
];
