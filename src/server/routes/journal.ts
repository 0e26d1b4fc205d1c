import { z } from 'zod';
import { canRead } from '../../core/access/policy';
import { fail, ok } from '../../core/errors';
import type { JournalEvent } from '../../core/journal/envelope';
import { SignedTreeHead } from '../../core/journal/tree-head';
import { defineRoute } from '../route';
import { JournalEventOut } from './schemas';

const PAGE_SCAN_LIMIT = 20_000;

const Hex = z.string().regex(/^[0-9a-f]{64}$/);
const InclusionProofOut = z.object({
  position: z.number().int(),
  size: z.number().int(),
  leafData: Hex,
  proof: z.array(Hex),
  root: Hex,
  head: SignedTreeHead.nullable(),
});
const ConsistencyProofOut = z.object({
  fromSize: z.number().int(),
  toSize: z.number().int(),
  proof: z.array(Hex),
  fromRoot: Hex,
  toRoot: Hex,
});

export const journalRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/journal',
    summary: 'Journal events the reader may see, after a position, oldest first (positions of others are skipped)',
    tag: 'journal',
    action: 'journal.read',
    query: z
      .object({
        after: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        order: z.enum(['asc', 'desc']).default('asc'),
      })
      .strict(),
    response: z.object({ events: z.array(JournalEventOut), next: z.number().int().nullable(), head: z.number().int() }),
    async handler({ query, reader, services }) {
      const head = services.journal.head;
      const events: JournalEvent[] = [];
      let next: number | null = null;
      if (query.order === 'asc') {
        // Scan forward in pages until the page is full or a scan budget is spent, so a reader who may
        // see little does not make one request read the whole journal.
        let cursor = query.after;
        let scanned = 0;
        while (events.length < query.limit && scanned < PAGE_SCAN_LIMIT) {
          const page = await services.store.read(cursor, 1000);
          if (page.length === 0) break;
          for (const e of page) {
            cursor = e.position;
            scanned++;
            if (canRead(reader, e.visibility)) events.push(e);
            if (events.length === query.limit) break;
          }
        }
        next = cursor < head ? cursor : null;
      } else {
        // Newest first: `after` is read as "before this position" (0 = from the head).
        let cursor = query.after === 0 ? head + 1 : query.after;
        let scanned = 0;
        while (events.length < query.limit && cursor > 1 && scanned < PAGE_SCAN_LIMIT) {
          const from = Math.max(0, cursor - 1 - 1000);
          const page = await services.store.read(from, cursor - 1 - from);
          for (let i = page.length - 1; i >= 0; i--) {
            const e = page[i]!;
            cursor = e.position;
            scanned++;
            if (canRead(reader, e.visibility)) events.push(e);
            if (events.length === query.limit) break;
          }
          if (page.length === 0) break;
        }
        next = cursor > 1 ? cursor : null;
      }
      return ok({ events, next, head });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/journal/status',
    summary: 'The hash chain as stored: verified up to where, the head hash, the last signed checkpoint',
    tag: 'journal',
    action: 'journal.status',
    response: z.object({
      ok: z.boolean(),
      verifying: z.boolean(),
      count: z.number().int(),
      head: z.string(),
      checkpoints: z.number().int(),
      lastCheckpoint: z.object({ position: z.number().int(), recordedAt: z.string() }).nullable(),
      checkedAt: z.string(),
      fault: z.object({ position: z.number().int(), fault: z.string(), message: z.string() }).optional(),
    }),
    async handler({ services }) {
      await services.chain.check();
      const { report, checkedAt, verifying } = services.chain.status();
      const index = services.journal.image.index;
      const lastCheckpoint = index.lastCheckpointAt ? { position: index.lastCheckpoint, recordedAt: index.lastCheckpointAt } : null;
      if (report.ok) {
        return ok({ ok: true, verifying, count: report.count, head: report.head, checkpoints: report.checkpoints, lastCheckpoint, checkedAt });
      }
      return ok({
        ok: false,
        verifying,
        count: report.count,
        head: index.headHash,
        checkpoints: 0,
        lastCheckpoint,
        checkedAt,
        fault: { position: report.position, fault: report.fault, message: report.message },
      });
    },
  }),
  ...treeLogRoutes(),
];

/**
 * The log every party can check (RFC 9162). Heads and consistency proofs are hashes only. An inclusion
 * proof is given only for an event the reader may read, and a hidden one is answered exactly like a
 * position that does not exist. Its sibling hashes may cover hidden events: each is a hash of a chain
 * hash, which the next event's `prevHash` already shows (see docs/journal-proofs.md).
 */
function treeLogRoutes() {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/journal/tree-head',
      summary: 'The latest signed tree head: size, Merkle root, Ed25519 signature, RFC 3161 time-stamp tokens',
      tag: 'journal',
      action: 'journal.tree-head',
      response: SignedTreeHead,
      async handler({ services }) {
        const head = services.treeLog.latestHead();
        if (!head) return fail('not_found', 'no tree head has been signed yet');
        return ok(head);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/journal/tree-heads',
      summary: 'Every signed tree head larger than a size, oldest first',
      tag: 'journal',
      action: 'journal.tree-head',
      query: z
        .object({
          after: z.coerce.number().int().min(-1).default(-1),
          limit: z.coerce.number().int().min(1).max(1000).default(500),
        })
        .strict(),
      response: z.object({ heads: z.array(SignedTreeHead), next: z.number().int().nullable(), size: z.number().int() }),
      async handler({ query, services }) {
        const all = services.treeLog.heads(query.after);
        const heads = all.slice(0, query.limit);
        const next = all.length > query.limit ? heads[heads.length - 1]!.size : null;
        return ok({ heads, next, size: services.treeLog.size });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/journal/tree-head',
      summary: 'Sign a tree head over the whole journal now (and have it time-stamped), instead of at the next interval',
      tag: 'journal',
      action: 'journal.sign-tree-head',
      status: 201,
      response: SignedTreeHead,
      async handler({ services }) {
        return services.treeLog.signHead();
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/journal/proof',
      summary: 'Inclusion proof of one event (that the reader may read) in the tree of a size (default: the latest signed head)',
      tag: 'journal',
      action: 'journal.prove',
      query: z
        .object({
          position: z.coerce.number().int().min(1),
          size: z.coerce.number().int().min(1).optional(),
        })
        .strict(),
      response: InclusionProofOut,
      async handler({ query, reader, services }) {
        const tree = services.treeLog;
        const [event] = query.position <= tree.size ? await services.store.read(query.position - 1, 1) : [];
        if (!event || event.position !== query.position || !canRead(reader, event.visibility)) {
          return fail('not_found', `no event at position ${query.position} that you may read`, '/query/position');
        }
        if (query.size !== undefined && (query.size < query.position || query.size > tree.size)) {
          return fail(
            'validation_failed',
            `/query/size: a tree holding position ${query.position} has a size from ${query.position} to ${tree.size}`,
            '/query/size',
          );
        }
        return ok(tree.inclusion(query.position, query.size));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/journal/consistency',
      summary: 'Consistency proof between the tree of one size and a larger one (default: the latest signed head)',
      tag: 'journal',
      action: 'journal.consistency',
      query: z
        .object({
          from: z.coerce.number().int().min(0),
          to: z.coerce.number().int().min(0).optional(),
        })
        .strict(),
      response: ConsistencyProofOut,
      async handler({ query, services }) {
        const size = services.treeLog.size;
        const to = query.to ?? size;
        if (to > size) return fail('not_found', `/query/to: the journal's tree has ${size} leaves, not ${to}`, '/query/to');
        if (query.from > to)
          return fail(
            'validation_failed',
            `/query/from: the older size must be at most ${query.to === undefined ? 'the newer size' : 'to'} (${to})`,
            '/query/from',
          );
        return ok(services.treeLog.consistency(query.from, query.to));
      },
    }),
  ];
}
