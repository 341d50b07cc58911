/** Edit distance (insertions, deletions, substitutions) between two strings. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Largest edit distance still treated as a typo of a known name. */
const NEAR_MISS_DISTANCE = 2;

/**
 * The known name `candidate` was most likely meant to be: equal ignoring case, or within
 * two edits. Undefined when `candidate` is itself known or nothing is close.
 */
export function nearMiss(candidate: string, known: readonly string[]): string | undefined {
  if (known.includes(candidate)) return undefined;
  const lower = candidate.toLowerCase();
  const sameIgnoringCase = known.find((name) => name.toLowerCase() === lower);
  if (sameIgnoringCase !== undefined) return sameIgnoringCase;
  let best: string | undefined;
  let bestDistance = NEAR_MISS_DISTANCE + 1;
  for (const name of known) {
    const distance = levenshtein(lower, name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean 'x'?` when a known name is close, else the empty string: appended to messages. */
export function didYouMean(candidate: string, known: readonly string[]): string {
  const suggestion = nearMiss(candidate, known);
  return suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
}
