import { fail, ok, type Result } from '../../errors';
import type { EventDraft } from '../../journal/envelope';
import { type NoticeRecord, noticeStatus, type WithdrawalInput } from './notice';

/** The notifying organisation withdraws its notice (the site closed, the convoy was cancelled). */
export function withdrawNotice(
  notice: NoticeRecord,
  input: WithdrawalInput,
  by: { readonly username: string; readonly party: string | null },
  now: Date,
): Result<EventDraft[]> {
  if (by.party !== notice.party) return fail('forbidden', `only ${notice.party}, which notified it, may withdraw this notice`);
  const status = noticeStatus(notice);
  if (status === 'withdrawn') return fail('invalid_transition', `this notice was withdrawn already, at ${notice.withdrawal!.at}`);
  if (status === 'expired') return fail('invalid_transition', `this notice expired at ${notice.expiredAt}; it needs no withdrawal`);
  return ok([
    {
      stream: notice.stream,
      type: 'notice.withdrawn',
      payload: { noticeId: notice.id, by: by.username, at: now.toISOString(), reason: input.reason },
      visibility: ['process'],
    },
  ]);
}
