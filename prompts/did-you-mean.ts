import { distance } from 'fastest-levenshtein';

/**
 * Up to three known names within a Levenshtein distance of a third of the query's length (at least 2),
 * closest first; when none is that close, the names that contain the query.
 */
export function closestNames(query: string, known: Iterable<string>): string[] {
  const names = [...known];
  const maxDistance = Math.max(2, Math.floor(query.length / 3));
  const near = names
    .map((name) => ({ name, distance: distance(query.toLowerCase(), name.toLowerCase()) }))
    .filter((candidate) => candidate.distance <= maxDistance)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .map((candidate) => candidate.name);
  const pool = near.length > 0 ? near : names.filter((name) => query.length >= 3 && name.includes(query));
  return pool.slice(0, 3);
}

/** " (did you mean 'x'?)" or "" — for error messages about unknown ids. */
export function didYouMean(unknown: string, known: Iterable<string>): string {
  const [suggestion] = closestNames(unknown, known);
  return suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
}
