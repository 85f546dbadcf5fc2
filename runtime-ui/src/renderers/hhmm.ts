/** Hours and minutes as the forms store them ("1:30"): the pattern and the input mask. */

export const HHMM_PATTERN = '^([0-9]{1,2}):[0-5][0-9]$';

/** Digits typed so far as H:MM / HH:MM (at most four digits): "130" → "1:30". */
export function maskHhmm(typed: string): string {
  const digits = typed.replace(/\D/g, '').slice(0, 4);
  return digits.length <= 2 ? digits : `${digits.slice(0, -2)}:${digits.slice(-2)}`;
}
