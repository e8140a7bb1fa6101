import { invalidOption } from './errors';

/** Milliseconds per unit, largest first: the only order Prometheus accepts. */
const UNITS = [
  ['y', 365 * 24 * 60 * 60 * 1000],
  ['w', 7 * 24 * 60 * 60 * 1000],
  ['d', 24 * 60 * 60 * 1000],
  ['h', 60 * 60 * 1000],
  ['m', 60 * 1000],
  ['s', 1000],
  ['ms', 1],
] as const;

/** Each unit at most once, largest first, as in Prometheus's `model.ParseDuration`. */
const GRAMMAR = new RegExp(`^${UNITS.map(([unit]) => `(?:(\\d+)${unit})?`).join('')}$`);
/** Prometheus stores a duration as int64 nanoseconds; anything longer is out of range. */
const MAX_MILLISECONDS = Math.floor((2 ** 63 - 1) / 1e6);
const ALLOWED =
  'a Prometheus duration such as "30s", "5m", "1h30m" or "500ms" (whole numbers of y, w, d, h, m, s, ms, largest unit first)';

/**
 * Parses a Prometheus duration and returns it in seconds: `'500ms'` → 0.5,
 * `'1h30m'` → 5400, `'1w'` → 604800, `'1y'` → 31536000 (a year is 365 days).
 *
 * Units are `y`, `w`, `d`, `h`, `m`, `s` and `ms`, each a whole number, each
 * at most once and largest first; `'0'` needs no unit. Anything else (empty,
 * negative, fractional, an unknown unit such as `M`, units out of order or
 * repeated, surrounding spaces, a non-string) throws a
 * `GenxaiObservabilityError` naming `option` and the value, as Prometheus
 * would refuse to load it.
 *
 * @see https://prometheus.io/docs/prometheus/latest/querying/basics/#time-durations
 * @param text The duration, such as `'5m'`.
 * @param option The name of the option being read, for the error message. @default 'duration'
 */
export function parseDuration(text: string, option = 'duration'): number {
  if (typeof text !== 'string') return invalidOption(option, text, ALLOWED);
  if (text === '0') return 0;
  const match = text === '' ? null : GRAMMAR.exec(text);
  if (!match) return invalidOption(option, text, ALLOWED);
  let milliseconds = 0;
  for (const [index, [, perUnit]] of UNITS.entries()) {
    const count = match[index + 1];
    if (count !== undefined) milliseconds += Number(count) * perUnit;
  }
  if (milliseconds > MAX_MILLISECONDS) {
    return invalidOption(option, text, 'a Prometheus duration of at most 292 years');
  }
  return milliseconds / 1000;
}

/**
 * Writes `seconds` as a Prometheus duration, the way Prometheus prints one
 * (`model.Duration.String()`): largest unit first, `y` and `w` only when they
 * divide the whole duration, `'0s'` for zero. So 5400 → `'1h30m'`, 0.5 →
 * `'500ms'`, 604800 → `'1w'`, 90 days → `'90d'`. {@link parseDuration} reads
 * the result back to the same number.
 *
 * Throws a `GenxaiObservabilityError` for a negative or non-finite number, or
 * one that is not a whole number of milliseconds (Prometheus's resolution).
 *
 * @see https://prometheus.io/docs/prometheus/latest/querying/basics/#time-durations
 */
export function formatDuration(seconds: number): string {
  const milliseconds = typeof seconds === 'number' ? seconds * 1000 : Number.NaN;
  let rest = Math.round(milliseconds);
  // A tolerance for binary fractions: 0.1 + 0.2 seconds is still 300ms.
  if (!(rest >= 0 && rest <= MAX_MILLISECONDS && Math.abs(milliseconds - rest) < 1e-6)) {
    return invalidOption('duration', seconds, 'a number of seconds ≥ 0, in whole milliseconds');
  }
  if (rest === 0) return '0s';
  const total = rest;
  let text = '';
  for (const [unit, perUnit] of UNITS) {
    // 90d reads better than 12w6d.
    if ((unit === 'y' || unit === 'w') && total % perUnit !== 0) continue;
    const count = Math.floor(rest / perUnit);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * perUnit;
    }
  }
  return text;
}
