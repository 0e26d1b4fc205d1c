import type { MilestoneFacts } from '../core/milestones';
import type { MemoryImage } from './image';
import { tranchesCompleted } from '../core/exchanges/state';
import { meetingHeldAt } from '../core/process/state';

/**
 * The milestone facts of this node, read from its memory image. Each module that offers a milestone
 * answers its own question here (process: meetings held; exchanges: tranches completed).
 */
export function milestoneFacts(image: MemoryImage): MilestoneFacts {
  void image;
  return {
    // process module: replace with the meetings its projection has recorded as held
    meetingHeld: (meeting) => meetingHeldAt(image.process, meeting),
    // exchanges module: replace with the tranches its projection has recorded as completed
    exchangeTranchesCompleted: (formula) => tranchesCompleted(image.exchanges, formula),
  };
}
