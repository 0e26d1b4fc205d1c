import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Framework } from '../../core/framework/model';
import { parseFrameworkSource } from '../../core/framework/parse';
import { stressTest } from '../../core/stress/run';
import { parseScenario } from '../../core/stress/scenario';
import { prepareSimulation } from '../../core/stress/setup';
import { loadReplay } from './replay';

const SCENARIOS = join(import.meta.dirname, '../../../examples/kyiv-2026/scenarios');
const UCDP = join(import.meta.dirname, '../../../../shared/data/ucdp-ukraine/ucdp-ged-ukraine-2014-2022.csv');
const FRAMEWORK = Framework.parse(
  parseFrameworkSource(readFileSync(join(import.meta.dirname, '../../../examples/kyiv-2026/framework.yaml'), 'utf8'), 'f.yaml').value,
);

describe.skipIf(!existsSync(UCDP))('historical replay (UCDP GED, Donbas 2015)', () => {
  it("places the window's events on the scenario's clock and runs them through the rules", async () => {
    const read = parseScenario(readFileSync(join(SCENARIOS, 'donbas-2015.yaml'), 'utf8'), 'donbas-2015.yaml');
    if (!read.ok) throw new Error(read.problems[0]!.message);
    const replay = await loadReplay(read.scenario, SCENARIOS);
    if (!replay.ok) throw new Error(replay.message);
    // Every event lies in the window [15 Feb, 15 May 2015), in order.
    expect(replay.value.length).toBeGreaterThan(100);
    expect(replay.value[0]!.offsetMs).toBeGreaterThanOrEqual(0);
    expect(replay.value[replay.value.length - 1]!.offsetMs).toBeLessThan(89 * 86_400_000);
    const setup = prepareSimulation(FRAMEWORK, read.scenario, { replay: replay.value });
    if (!setup.ok) throw new Error(setup.message);
    const result = stressTest(setup.value, 2015, 2);
    // Replayed events are the breaches: the same number in every run, whatever the seed.
    expect(result.metrics.breachesPerRun.p10).toBe(replay.value.length);
    expect(result.metrics.breachesPerRun.p90).toBe(replay.value.length);
  });

  it('says which file it could not read', async () => {
    const read = parseScenario(
      readFileSync(join(SCENARIOS, 'donbas-2015.yaml'), 'utf8').replace('ucdp-ged-ukraine-2014-2022.csv', 'missing.csv'),
    );
    if (!read.ok) throw new Error(read.problems[0]!.message);
    const replay = await loadReplay(read.scenario, SCENARIOS);
    expect(replay.ok).toBe(false);
    if (!replay.ok) expect(replay.message).toMatch(/missing\.csv cannot be read/);
  });
});
