import { checkContract } from './check-contract.ts';
import { checkDatasetNames } from './check-dataset-names.ts';
import { ContractFiles } from './contract-files.ts';
import { API_VERSIONS, contractSchema } from './contract-schema.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { atField, formatFieldPath, type FieldPath } from './field-path.ts';
import { standardApiVersionsNamed, standardValidator } from './lint-standard.ts';
import type { SourcePosition } from './model.ts';
import type { ContractProblem } from './problems.ts';
import type { RawContract } from './raw-contract.ts';
import { inFileTerms, soundPart, type SoundPart } from './lint-sound-part.ts';
import { standaloneDomainName } from './standalone-domain.ts';
import { structuralProblems, validatorFor, type StructuralProblem } from './structural-check.ts';
import { parseYaml, type YamlSource } from './yaml-source.ts';

/**
 * Who refuses: the ODCS standard itself, the lakehouse, which does not support what the standard
 * allows, or YAML, when the file is no YAML document and neither could look at it.
 */
export type LintSource = 'odcs' | 'lakehouse' | 'yaml';

export interface LintProblem extends SourcePosition {
  readonly message: string;
  readonly source: LintSource;
  readonly severity: 'error' | 'warning';
}

export interface LintResult {
  readonly file: string;
  /** As written; null when the contract names none (or not as a string). */
  readonly apiVersion: string | null;
  /** Every problem at once, in line and column order. */
  readonly problems: readonly LintProblem[];
}

/**
 * Lint one contract file, anywhere, without a domain.yaml: the standard's JSON Schema for its
 * apiVersion, the lakehouse's schema, and the lakehouse's semantic checks run on every part that
 * is structurally sound, so one run shows every problem instead of the first layer of them.
 */
export function lintContract(file: string, text: string): LintResult {
  const parsed = parseYaml(file, text);
  if ('problems' in parsed) return { file, apiVersion: null, problems: parsed.problems.map((problem) => lintProblem(problem, 'yaml')) };
  const { source } = parsed;
  const written = (source.data as { apiVersion?: unknown } | null)?.apiVersion;
  const apiVersion = typeof written === 'string' ? written : null;

  const standard = standardProblems(source, written);
  const atStandardPlace = new Set(standard.map(placeOf));
  const refused = structuralProblems(source, validatorFor(contractSchema));
  // Where the standard already refuses what is written, the lakehouse's words would repeat it.
  const lakehouse = refused.filter(({ problem }) => !atStandardPlace.has(placeOf(problem))).map(({ problem }) => lintProblem(problem, 'lakehouse'));
  const semantic = semanticProblems(soundPart(source, refused)).filter((problem) => !isUntypedForARefusedType(problem, refused));
  const problems = [...standard.map((problem) => withHint(problem, refused)), ...lakehouse, ...semantic];
  return { file, apiVersion, problems: distinctInOrder(problems) };
}

function standardProblems(source: YamlSource, apiVersion: unknown): LintProblem[] {
  const validate = standardValidator(apiVersion);
  if (validate !== undefined) return structuralProblems(source, validate, false).map(({ problem }) => lintProblem(problem, 'odcs'));
  // An older version of the standard (v2.2.x): the lakehouse's own schema refuses it as one it does not read.
  if (typeof apiVersion === 'string' && standardApiVersionsNamed().includes(apiVersion)) return [];
  const path: FieldPath = ['apiVersion'];
  const known = API_VERSIONS.join(', ');
  const message =
    apiVersion === undefined
      ? `missing required field 'apiVersion' (the standard's versions this lint knows: ${known})`
      : atField(path, `${JSON.stringify(apiVersion)} is not an ODCS version this lint knows (${known}), so the standard's schema was not checked`);
  return [lintProblem(source.problem(path, message), 'odcs')];
}

function semanticProblems(sound: SoundPart | undefined): LintProblem[] {
  if (sound === undefined) return [];
  const contract = sound.source.data as RawContract;
  // Standalone, as `validate --contract`.
  const under: ContractUnderCheck = { source: sound.source, contract, domain: standaloneDomainName(contract, sound.source.file) };
  const files = new ContractFiles();
  return [...checkContract(under, files), ...checkDatasetNames([under])].map((problem) => lintProblem(inFileTerms(problem, sound), 'lakehouse'));
}

/** The warning checkColumns gives a column written with no type at all, and the column's path. */
const UNTYPED_COLUMN = /^([A-Za-z]\w*(?:\[\d+\]|\.[A-Za-z]\w*)*): column '.*' has no logicalType and /;

/**
 * Setting aside a logicalType the schema refuses (`decimal`, `strin`) leaves the column untyped
 * to the semantic checks; its warning would send the user to add the logicalType they wrote.
 */
function isUntypedForARefusedType(problem: LintProblem, refused: readonly StructuralProblem[]): boolean {
  const column = UNTYPED_COLUMN.exec(problem.message)?.[1];
  return column !== undefined && refused.some(({ field }) => formatFieldPath(field) === `${column}.logicalType`);
}

function lintProblem(problem: ContractProblem, source: LintSource): LintProblem {
  const { file, line, column, message } = problem;
  return { file, line, column, message, source, severity: problem.severity === 'warning' ? 'warning' : 'error' };
}

/** The standard's problem in the lakehouse's words when those say the same and more (a did-you-mean). */
function withHint(problem: LintProblem, refused: readonly StructuralProblem[]): LintProblem {
  const fuller = refused.find((other) => placeOf(other.problem) === placeOf(problem) && other.problem.message.startsWith(problem.message));
  return fuller === undefined ? problem : { ...problem, message: fuller.problem.message };
}

function placeOf(problem: SourcePosition): string {
  return `${problem.line}:${problem.column}`;
}

function distinctInOrder(problems: readonly LintProblem[]): LintProblem[] {
  const distinct = new Map(problems.map((problem) => [`${placeOf(problem)}:${problem.source}:${problem.message}`, problem]));
  return [...distinct.values()].sort((a, b) => a.line - b.line || a.column - b.column || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}
