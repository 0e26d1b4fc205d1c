/**
 * `datetime-local` value to an instant with the reader's own UTC offset (not `Z`): the server answers a
 * refusal in the caller's offset, so the times it names read in the reader's local time.
 */
export function toInstant(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  if (Number.isNaN(date.getTime())) return undefined;
  const offset = -date.getTimezoneOffset();
  const pad = (k: number) => String(Math.floor(Math.abs(k))).padStart(2, '0');
  const sign = offset >= 0 ? '+' : '-';
  return `${local.length === 16 ? `${local}:00` : local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}
