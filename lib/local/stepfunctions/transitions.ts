/**
 * Every transition a definition declares, nested Parallel branches and Map item processors
 * included, each with an id a person can read in a coverage report: `Validate -> Check (Next)`,
 * `Check -> Alert (Choice rule 2)`, `Check -> Skip (Default)`, `Load -> Alert (Catch 1: States.ALL)`,
 * `Load (Retry 2: Athena.TooManyRequestsException)`, `Loaded (End)`. State names are unique within
 * a machine, so the ids are too.
 */
import { type AslDefinition, type AslState, listStates } from './states.ts';

export type Transition =
  | { readonly kind: 'Next'; readonly id: string; readonly from: string; readonly to: string }
  | { readonly kind: 'Choice rule'; readonly id: string; readonly from: string; readonly to: string; readonly rule: number }
  | { readonly kind: 'Default'; readonly id: string; readonly from: string; readonly to: string }
  | {
      readonly kind: 'Catch';
      readonly id: string;
      readonly from: string;
      readonly to: string;
      readonly catcher: number;
      readonly errors: readonly string[];
    }
  | { readonly kind: 'Retry'; readonly id: string; readonly from: string; readonly retrier: number; readonly errors: readonly string[] }
  | { readonly kind: 'End'; readonly id: string; readonly from: string };

interface ErrorHandler {
  readonly ErrorEquals: readonly string[];
}

interface Retrier extends ErrorHandler {
  readonly MaxAttempts?: number;
}

interface Catcher extends ErrorHandler {
  readonly Next: string;
}

function retriers(state: AslState): readonly Retrier[] {
  return 'Retry' in state ? (state.Retry ?? []) : [];
}

function catchers(state: AslState): readonly Catcher[] {
  return 'Catch' in state ? (state.Catch ?? []) : [];
}

/** The transitions out of one state, in the order the definition lists them; numbers are 1-based, as a person counts. */
export function stateTransitions(name: string, state: AslState): Transition[] {
  const transitions: Transition[] = [];
  if (state.Type === 'Choice') {
    state.Choices.forEach((rule, index) => {
      transitions.push({ kind: 'Choice rule', id: `${name} -> ${rule.Next} (Choice rule ${index + 1})`, from: name, to: rule.Next, rule: index + 1 });
    });
    if (state.Default !== undefined) transitions.push({ kind: 'Default', id: `${name} -> ${state.Default} (Default)`, from: name, to: state.Default });
  } else if (state.Type !== 'Succeed' && state.Type !== 'Fail') {
    if ('End' in state && state.End === true) transitions.push({ kind: 'End', id: `${name} (End)`, from: name });
    else if ('Next' in state) transitions.push({ kind: 'Next', id: `${name} -> ${state.Next} (Next)`, from: name, to: state.Next });
  }
  retriers(state).forEach((retrier, index) => {
    // A retrier allowed no attempt never retries: counting it would make full coverage impossible.
    if (retrier.MaxAttempts === 0) return;
    const errors = [...retrier.ErrorEquals];
    transitions.push({ kind: 'Retry', id: `${name} (Retry ${index + 1}: ${errors.join(', ')})`, from: name, retrier: index + 1, errors });
  });
  catchers(state).forEach((catcher, index) => {
    const errors = [...catcher.ErrorEquals];
    transitions.push({
      kind: 'Catch',
      id: `${name} -> ${catcher.Next} (Catch ${index + 1}: ${errors.join(', ')})`,
      from: name,
      to: catcher.Next,
      catcher: index + 1,
      errors,
    });
  });
  return transitions;
}

/** Every transition of the definition, state by state in `listStates` order. */
export function listTransitions(definition: AslDefinition): Transition[] {
  return listStates(definition).flatMap((state) => stateTransitions(state.name, state.definition));
}
