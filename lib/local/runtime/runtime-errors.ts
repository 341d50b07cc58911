/**
 * Mistakes a user can fix in how they called the runtime: the CLI turns them into usage errors.
 * Kept apart from the runtime, which loads the CDK app, so a command can recognize them cheaply.
 */
import { didYouMean } from '../../contracts/did-you-mean.ts';

export class UnknownDatasetError extends Error {
  constructor(ref: string, known: readonly string[]) {
    super(`no dataset '${ref}' in the contracts${didYouMean(ref, known)} (datasets: ${known.join(', ')})`);
    this.name = 'UnknownDatasetError';
  }
}

/** A delivery that cannot be released, and why; nothing was run. */
export class ReleaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseError';
  }
}

export class UnknownModelError extends Error {
  constructor(ref: string, known: readonly string[]) {
    super(
      known.length === 0
        ? `no ML model '${ref}' in the contracts: no domain has a spec (contracts/<domain>/ml/<model>.yaml)`
        : `no ML model '${ref}' in the contracts${didYouMean(ref, known)} (ML models: ${known.join(', ')})`,
    );
    this.name = 'UnknownModelError';
  }
}
