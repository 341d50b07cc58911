/**
 * Why a data file could not be opened against its contract. `readable`: the bytes are not a
 * well-formed file of the declared format. `schema`: the file is well formed but its columns or
 * keys are not the contract's. `line` is the 1-based line in the file, where one is known.
 */
export type ReadFailure = { readonly kind: 'readable' | 'schema'; readonly message: string; readonly line?: number };

export type OpenResult = { readonly ok: true; readonly relation: string } | { readonly ok: false; readonly failure: ReadFailure };

export function unreadable(message: string, line?: number): ReadFailure {
  return line === undefined ? { kind: 'readable', message } : { kind: 'readable', message, line };
}

export function schemaMismatch(message: string, line?: number): ReadFailure {
  return line === undefined ? { kind: 'schema', message } : { kind: 'schema', message, line };
}

export function failed(failure: ReadFailure): OpenResult {
  return { ok: false, failure };
}
