import { z } from 'zod';

export const JournalEventOut = z.object({
  position: z.number().int(),
  stream: z.string(),
  streamVersion: z.number().int(),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
  actor: z.string(),
  party: z.string().nullable(),
  visibility: z.array(z.string()),
  recordedAt: z.string(),
  idempotencyKey: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});

export const UserOut = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  party: z.string().nullable(),
  roles: z.array(z.string()),
  grants: z.array(z.string()),
});

export const Appended = z.object({ position: z.number().int(), hash: z.string() });

export function userOut(user: { id: string; username: string; displayName: string; party: string | null; roles: readonly string[]; grants: readonly string[] }): z.infer<typeof UserOut> {
  return { id: user.id, username: user.username, displayName: user.displayName, party: user.party, roles: [...user.roles], grants: [...user.grants] };
}
