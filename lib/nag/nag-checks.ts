import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Runs cdk-nag's AwsSolutions pack when the whole App synthesizes. With the App's
 * `@aws-cdk/core:failSynthOnValidationErrors` set, an unacknowledged error finding fails the synth.
 */
export function enableNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
