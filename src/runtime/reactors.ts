import type { Reactor } from '../core/reaction';
import { deconflictionReactor } from '../core/operations/deconfliction/reactor';

/** Every reactor the node runs. Modules add theirs here (deconfliction, trigger engine, clocks…). */
export const REACTORS: Reactor[] = [deconflictionReactor];
