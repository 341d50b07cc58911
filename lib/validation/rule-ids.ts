/**
 * Report ids: the contract's own id, else `<column>.<kind>`, else `<kind>`; a repeated id gets
 * `#2`, `#3`, ... in order of appearance, so every rule of a report can be told apart.
 */
export function baseRuleId(declaredId: string | undefined, kind: string, column: string | null): string {
  return declaredId ?? (column === null ? kind : `${column}.${kind}`);
}

export function suffixRepeatedIds(ids: readonly string[]): string[] {
  const taken = new Set(ids);
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const count = (seen.get(id) ?? 0) + 1;
    seen.set(id, count);
    if (count === 1) return id;
    let suffix = count;
    while (taken.has(`${id}#${suffix}`)) suffix += 1;
    const unique = `${id}#${suffix}`;
    taken.add(unique);
    return unique;
  });
}
