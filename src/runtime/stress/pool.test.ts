import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Framework } from '../../core/framework/model';
import { parseFrameworkSource } from '../../core/framework/parse';
import { resultJson, stressTest } from '../../core/stress/run';
import { readScenarioFor } from '../../core/stress/scenario';
import { prepareSimulation } from '../../core/stress/setup';
import { runStress, workerBundle } from './pool';

const FRAMEWORK = Framework.parse(parseFrameworkSource(readFileSync('examples/kyiv-2026/framework.yaml', 'utf8'), 'framework.yaml').value);
const read = readScenarioFor(readFileSync('examples/kyiv-2026/scenarios/quiet.yaml', 'utf8'), 'quiet.yaml', FRAMEWORK);
if (!read.ok) throw new Error('the quiet scenario does not read');
const scenario = read.scenario;

describe('the worker pool', () => {
  it('runs workers from one esbuild bundle and agrees byte for byte with the runs in this thread, money included', async () => {
    expect(workerBundle()).toMatch(/simulateRun|prepareSimulation/);
    const spec = { framework: FRAMEWORK, frameworkHash: null, scenario, choice: {}, replay: [], seed: 11, runs: 6 };
    const pooled = await runStress(spec, { workers: 2 });
    if (!pooled.ok) throw new Error(pooled.message);
    const setup = prepareSimulation(FRAMEWORK, scenario);
    if (!setup.ok) throw new Error(setup.message);
    const here = stressTest(setup.value, 11, 6);
    expect(resultJson(pooled.value)).toBe(resultJson(here));
    expect(pooled.value.metrics.money?.tranches.length).toBe(6);
  }, 60_000);
});
