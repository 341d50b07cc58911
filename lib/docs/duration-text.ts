/** A duration in seconds as people write it on a contract page: `24 h`, `7 d`, `90 min`, `45 s`. */
export function durationText(seconds: number): string {
  const units: readonly (readonly [string, number])[] = [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
  ];
  for (const [unit, size] of units) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${unit}`;
  }
  return `${seconds} s`;
}
