import { parentPort, workerData } from 'node:worker_threads';
import { runSeed } from '../../core/stress/random';
import { prepareSimulation } from '../../core/stress/setup';
import { simulateRun } from '../../core/stress/simulate';
import type { StressSpec } from './pool';

/**
 * A Monte Carlo worker: prepares the simulation once, then runs the slices of run indexes the pool
 * hands it, posting each run's outcome. Run i uses runSeed(seed, i), so which worker runs it does
 * not matter.
 */
const spec = (workerData as { stressSpec: StressSpec }).stressSpec;
const prepared = prepareSimulation(spec.framework, spec.scenario, { choice: spec.choice, replay: spec.replay });
const port = parentPort!;
if (!prepared.ok) port.postMessage({ type: 'failed', message: prepared.message });
else {
  port.postMessage({ type: 'ready' });
  port.on('message', (slice: { from: number; to: number }) => {
    for (let i = slice.from; i < slice.to; i++)
      port.postMessage({ type: 'run', index: i, outcome: simulateRun(prepared.value, runSeed(spec.seed, i)) });
    port.postMessage({ type: 'idle' });
  });
}
