import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Framework } from '../src/core/framework/model';
import { validateFramework } from '../src/core/framework/validate';
import { frameworkProjection, recordVersion, type FrameworkState } from '../src/core/framework/versions';
import { ok, type Result } from '../src/core/errors';
import type { AppendRequest, EventDraft, JournalEvent } from '../src/core/journal/envelope';
import { planBatch } from '../src/core/journal/plan';
import { MemoryImage } from '../src/runtime/image';
import type { Journal } from '../src/runtime/journal';

/**
 * Frameworks for operations tests: the Kyiv 2026 example as version 1 (in force from 7 January 2026),
 * and a version 2 (in force from 1 February 2026) whose buffer zones lie elsewhere and whose public
 * precision is 10 km — so a test can tell which version judged a report.
 */

export const EXAMPLE_PATH = join(import.meta.dirname, '../examples/kyiv-2026/framework.yaml');
export const V1_IN_FORCE = '2026-01-07T00:00:00+02:00';
export const V2_IN_FORCE = '2026-02-01T00:00:00+02:00';

let example: Framework | null = null;

export function exampleFramework(): Framework {
  if (!example) {
    const r = validateFramework(readFileSync(EXAMPLE_PATH, 'utf8'), EXAMPLE_PATH);
    if (!r.document) throw new Error('the example framework does not validate');
    example = r.document;
  }
  return structuredClone(example);
}

/** Version 2: buffer zones moved 5° west (far from the front), public precision 10 km. */
export function secondVersion(): Framework {
  const doc = structuredClone(exampleFramework());
  doc.process.version = 'test version 2';
  for (const ch of doc.chapters)
    for (const a of ch.articles)
      for (const c of a.clauses) {
        for (const part of [c.part, ...c.alternatives.map((x) => x.part)]) {
          if (
            part?.kind === 'zone' &&
            part.type === 'buffer-zone' &&
            part.id === 'contact-line-buffer' &&
            part.geometry.type === 'Polygon'
          ) {
            part.geometry.coordinates = part.geometry.coordinates.map((ring) => ring.map(([lon, lat]) => [lon! - 5, lat!]));
          }
          if (part?.kind === 'deconfliction-rule') part.publicPrecision_m = 10_000;
        }
      }
  return doc;
}

/** The drafts that record both versions and put them in force (signatures are not the point here). */
export function frameworkDrafts(): EventDraft[][] {
  const state = frameworkProjection.init();
  const out: EventDraft[][] = [];
  let position = 0;
  const apply = (drafts: EventDraft[]) => {
    for (const d of drafts) {
      frameworkProjection.apply(state, {
        position: ++position,
        stream: d.stream,
        streamVersion: position,
        type: d.type,
        payload: d.payload,
        actor: 'test',
        party: null,
        visibility: d.visibility,
        recordedAt: '2026-01-06T00:00:00.000Z',
        idempotencyKey: null,
        prevHash: '0'.repeat(64),
        hash: '0'.repeat(64),
      });
    }
    out.push(drafts);
  };
  for (const [doc, at] of [
    [exampleFramework(), V1_IN_FORCE],
    [secondVersion(), V2_IN_FORCE],
  ] as const) {
    const recorded = recordVersion(state, doc, 'test');
    if (!recorded.ok) throw new Error(recorded.message);
    apply(recorded.value.drafts);
    apply([
      {
        stream: `framework/${doc.process.id}`,
        type: 'framework.force-changed',
        payload: { kind: 'entry-into-force', hash: recorded.value.hash, at },
        visibility: ['process'],
      },
    ]);
  }
  return out;
}

/** A framework state with both versions in force at their dates (for core tests). */
export function twoVersionState(): FrameworkState {
  const state = frameworkProjection.init();
  let position = 0;
  for (const drafts of frameworkDrafts()) {
    for (const d of drafts) {
      frameworkProjection.apply(state, {
        position: ++position,
        stream: d.stream,
        streamVersion: position,
        type: d.type,
        payload: d.payload,
        actor: 'test',
        party: null,
        visibility: d.visibility,
        recordedAt: '2026-01-06T00:00:00.000Z',
        idempotencyKey: null,
        prevHash: '0'.repeat(64),
        hash: '0'.repeat(64),
      });
    }
  }
  return state;
}

/** Records both versions in a node's journal. */
export async function seedFrameworks(journal: Journal): Promise<void> {
  for (const drafts of frameworkDrafts()) {
    const r = await journal.append({ drafts, actor: 'mediator-user', party: 'ua' });
    if (!r.ok) throw new Error(r.message);
  }
}

/**
 * A journal in memory for core tests: the real planner (versions, idempotency, hash chain) and the
 * real memory image, without a store.
 */
export function memoryJournal(recordedAt = '2026-03-01T00:00:00.000Z') {
  const image = new MemoryImage();
  const events: JournalEvent[] = [];
  const append = async (request: AppendRequest): Promise<Result<readonly JournalEvent[]>> => {
    const plan = planBatch(image.index, [request], recordedAt);
    const outcome = plan.outcomes[0]!;
    if ('ok' in outcome) return outcome;
    if (outcome.kind === 'duplicate') return ok(events.slice(outcome.first - 1, outcome.last));
    for (const e of plan.events) {
      image.apply(e);
      events.push(e);
    }
    return ok(outcome.events);
  };
  const view = () => ({
    operations: image.operations,
    framework: image.framework,
    streamVersion: (s: string) => image.index.streams.get(s) ?? 0,
  });
  return { image, events, append, view };
}

export async function memoryJournalWithFrameworks(recordedAt?: string) {
  const j = memoryJournal(recordedAt);
  for (const drafts of frameworkDrafts()) {
    const r = await j.append({ drafts, actor: 'mediator-user', party: 'ua' });
    if (!r.ok) throw new Error(r.message);
  }
  return j;
}
