import { fail, ok, type Result } from '../../errors';
import type { EventDraft } from '../../journal/envelope';
import { type AcknowledgementInput, type NoticeRecord, noticeStatus } from './notice';

/**
 * A party acknowledges a notice: it confirms receipt, nothing more (never "approved"). Each party
 * named by the rule acknowledges once; a late acknowledgement is recorded as late, and still counts.
 */
export function acknowledgeNotice(
  notice: NoticeRecord,
  input: AcknowledgementInput,
  by: { readonly username: string; readonly party: string | null },
  now: Date,
): Result<EventDraft[]> {
  const status = noticeStatus(notice);
  if (status === 'withdrawn')
    return fail('invalid_transition', `this notice was withdrawn at ${notice.withdrawal!.at}; there is nothing left to acknowledge`);
  if (status === 'expired')
    return fail('invalid_transition', `this notice expired at ${notice.expiredAt}; there is nothing left to acknowledge`);
  if (!by.party) return fail('refused', 'an acknowledgement is given for a party, and this account acts for none');
  if (!notice.acknowledgement.by.includes(by.party)) {
    return fail(
      'forbidden',
      `only the parties named by rule ${notice.rule.id} acknowledge this notice (${notice.acknowledgement.by.join(', ')}); ${by.party} is not one of them`,
    );
  }
  const before = notice.acknowledgements[by.party];
  if (before) return fail('conflict', `${by.party} acknowledged this notice already, at ${before.at} (${before.by})`);
  const late = now.getTime() > Date.parse(notice.acknowledgement.deadline);
  return ok([
    {
      stream: notice.stream,
      type: 'notice.acknowledged',
      payload: { noticeId: notice.id, party: by.party, by: by.username, at: now.toISOString(), late, note: input.note },
      visibility: ['process'],
    },
  ]);
}
