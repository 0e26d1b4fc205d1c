import type { Reactor } from '../core/reaction';
import { deconflictionReactor } from '../core/operations/deconfliction/reactor';
import { escalationClock } from '../core/guarantees/clock';
import { triggerReactor } from '../core/guarantees/live/trigger-reactor';
import { prosperityReactor } from '../core/prosperity/reactor';
import type { MemoryImage } from './image';
import { milestoneFacts } from './milestones';

/** Every reactor the node runs. Modules add theirs here (deconfliction, trigger engine, clocks…). */
export const REACTORS: Reactor[] = [deconflictionReactor, triggerReactor, escalationClock, prosperityReactor((image) => milestoneFacts(image as MemoryImage))];
