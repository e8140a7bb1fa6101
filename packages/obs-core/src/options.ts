import { GenxaiObservabilityError } from './errors';

/** The edit distance of two short names, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/**
 * Throws a {@link GenxaiObservabilityError} at setup for an option name that `known` does not
 * list (a misspelt `tracng` would otherwise be ignored, and its signal silently configured by
 * defaults), naming the closest known option. Build `known` with
 * `{ … } satisfies Record<keyof Options, true>` so the list cannot drift from the type.
 */
export function checkOptionNames(
  scope: string,
  options: object,
  known: Readonly<Record<string, true>>,
): void {
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(known, name)) continue;
    const names = Object.keys(known);
    const closest = names
      .map((candidate) => [candidate, distance(name.toLowerCase(), candidate.toLowerCase())] as const)
      .sort((x, y) => x[1] - y[1])[0];
    const hint =
      closest && closest[1] <= Math.max(2, Math.floor(name.length / 3))
        ? ` Did you mean "${closest[0]}"?`
        : '';
    throw new GenxaiObservabilityError(
      'GENXAI_INVALID_OPTION',
      `Unknown option "${name}" of ${scope}.${hint} Known options: ${names.join(', ')}.`,
    );
  }
}
