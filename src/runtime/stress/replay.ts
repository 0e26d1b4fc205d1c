import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fail, ok, type Result } from '../../core/errors';
import { readUcdp } from '../../core/operations/import/ucdp';
import type { Scenario } from '../../core/stress/scenario';
import type { ReplayEvent } from '../../core/stress/setup';

/**
 * A historical replay: the UCDP GED file the scenario names is read with the operations importer,
 * and the events of the window [from, to) are placed on the scenario's clock from its start.
 */
export async function loadReplay(scenario: Scenario, baseDir: string): Promise<Result<ReplayEvent[]>> {
  if (!scenario.replay) return ok([]);
  const path = isAbsolute(scenario.replay.ucdp) ? scenario.replay.ucdp : resolve(baseDir, scenario.replay.ucdp);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    return fail('validation_failed', `the replay file ${scenario.replay.ucdp} cannot be read (looked at ${path})`, '/replay/ucdp');
  }
  return replayEvents(scenario, bytes);
}

export function replayEvents(scenario: Scenario, bytes: Uint8Array): Result<ReplayEvent[]> {
  const replay = scenario.replay;
  if (!replay) return ok([]);
  const parsed = readUcdp(bytes);
  if (!parsed.ok) return fail('validation_failed', `the replay file could not be read: ${parsed.message}`, '/replay/ucdp');
  const from = Date.parse(`${replay.from}T00:00:00Z`);
  const to = Date.parse(`${replay.to}T00:00:00Z`);
  const out: ReplayEvent[] = [];
  for (const row of parsed.value.rows) {
    if (!('input' in row)) continue;
    const r = row.input;
    const t = Date.parse(r.occurredAt);
    if (!(t >= from && t < to)) continue;
    const at = r.location.type === 'point' ? r.location : null;
    if (!at) continue;
    const killed = r.casualties.filter((c) => c.outcome === 'killed').reduce((a, c) => a + c.count, 0);
    out.push({ offsetMs: t - from, lon: at.lon, lat: at.lat, type: r.type, domain: r.domain, killed });
  }
  if (out.length === 0)
    return fail('validation_failed', `the replay file has no events between ${replay.from} and ${replay.to}`, '/replay/from');
  return ok(out.sort((a, b) => a.offsetMs - b.offsetMs));
}
