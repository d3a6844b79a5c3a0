import { distance } from 'fastest-levenshtein';

/** The known name closest to `unknown` by edit distance, when it is close enough to be a likely typo. */
export function closestName(unknown: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = distance(unknown.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(unknown.length / 3)) ? best : undefined;
}

/** " (did you mean 'x'?)" or "" — for error messages about unknown ids. */
export function didYouMean(unknown: string, known: Iterable<string>): string {
  const suggestion = closestName(unknown, known);
  return suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
}
