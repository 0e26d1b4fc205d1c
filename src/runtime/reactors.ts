import type { Reactor } from '../core/reaction';

/** Every reactor the node runs. Modules add theirs here (deconfliction, trigger engine, clocks…). */
export const REACTORS: Reactor[] = [];
