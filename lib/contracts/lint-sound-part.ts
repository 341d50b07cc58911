import { contractSchema } from './contract-schema.ts';
import { formatFieldPath, type FieldPath } from './field-path.ts';
import type { ContractProblem } from './problems.ts';
import { structuralProblems, validatorFor, type StructuralProblem } from './structural-check.ts';
import type { YamlSource } from './yaml-source.ts';

/**
 * Set-aside rounds before giving up on the semantic checks: each round removes the fields the
 * lakehouse's schema refused, which can only uncover problems in their parents (a list left
 * empty, a required field gone), so a few rounds reach a sound remainder or the document itself.
 */
const MAX_SET_ASIDE_ROUNDS = 8;

/** No semantic check reads these; the lint reports them against the standard. */
const UNREAD_HEADER_FIELDS: readonly string[] = ['apiVersion', 'kind'];

/** A contract with the parts the lakehouse's schema refused set aside, so the rest can be checked. */
export interface SoundPart {
  /** Positions are where each field is written in the file. */
  readonly source: YamlSource;
  /** A path in `source` as it is in the file: list items after a set-aside one keep their own index. */
  readonly originalPath: (path: FieldPath) => FieldPath;
}

/**
 * The contract with every field the lakehouse's schema refused set aside, repeatedly, until the
 * rest matches it; undefined when the refusal reaches the document itself (a required top-level
 * field missing), where no semantic check has anything sound to read.
 */
export function soundPart(source: YamlSource, refused: readonly StructuralProblem[]): SoundPart | undefined {
  const rounds: FieldPath[][] = [];
  let current = source;
  let fields = settable(refused);
  while (fields.length > 0) {
    if (rounds.length === MAX_SET_ASIDE_ROUNDS || fields.some((field) => field.length === 0)) return undefined;
    rounds.push(fields);
    current = current.without(fields);
    fields = settable(structuralProblems(current, validatorFor(contractSchema)));
  }
  return { source: current, originalPath: (path) => rounds.reduceRight(beforeSetAside, path) };
}

/**
 * A semantic problem in the file's terms: the field path its message starts with (`schema[0].
 * properties[1].unique: ...`) counted as in the file, where a set-aside item still takes its place.
 */
export function inFileTerms(problem: ContractProblem, sound: SoundPart): ContractProblem {
  const written = /^([A-Za-z]\w*(?:\[\d+\]|\.[A-Za-z]\w*)*): /.exec(problem.message)?.[1];
  if (written === undefined) return problem;
  const path = [...written.matchAll(/\[(\d+)\]|\.?([A-Za-z]\w*)/g)].map(([, index, key]) => (index === undefined ? key! : Number(index)));
  return { ...problem, message: `${formatFieldPath(sound.originalPath(path))}${problem.message.slice(written.length)}` };
}

function settable(refused: readonly StructuralProblem[]): FieldPath[] {
  return refused.map(({ field }) => field).filter((field) => !(field.length === 1 && UNREAD_HEADER_FIELDS.includes(String(field[0]))));
}

/** `path` after one round of set-asides, as it was before it: each list index moves past the items removed before it. */
function beforeSetAside(path: FieldPath, removed: readonly FieldPath[]): FieldPath {
  const before: (string | number)[] = [];
  for (const segment of path) {
    if (typeof segment === 'number') {
      const removedHere = removed
        .filter((field) => field.length === before.length + 1 && before.every((part, index) => field[index] === part))
        .map((field) => field[before.length])
        .filter((index): index is number => typeof index === 'number')
        .sort((a, b) => a - b);
      let index = segment;
      for (const gone of removedHere) if (gone <= index) index++;
      before.push(index);
    } else {
      before.push(segment);
    }
  }
  return before;
}
