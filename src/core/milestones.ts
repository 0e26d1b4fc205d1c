/**
 * Facts that one module offers another as milestones: the process module knows which meetings were
 * held, the exchanges module which tranches were completed. Prosperity conditions and meeting
 * prerequisites read them through this interface, so neither depends on the other's state.
 * The node builds one from its memory image (src/runtime/milestones.ts); tests pass their own.
 */
export interface MilestoneFacts {
  /** When the meeting with this code was held (ISO 8601 instant), or null if it has not been held. */
  meetingHeld(meeting: string): string | null;
  /** Completion instants (ISO 8601) of the tranches run under this exchange formula, oldest first. */
  exchangeTranchesCompleted(formula: string): readonly string[];
}

/** Facts with nothing held and nothing completed: the start of a process. */
export const NO_MILESTONES: MilestoneFacts = {
  meetingHeld: () => null,
  exchangeTranchesCompleted: () => [],
};
