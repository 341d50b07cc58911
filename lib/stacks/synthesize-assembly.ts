/**
 * Synthesizes one environment of the app and returns the folder of its cloud assembly: the data
 * the offline runtime reads (lib/local never builds constructs itself). Only the environment's
 * Stage is synthesized: cdk-nag runs with `cdk synth` and the tests, which synthesize the App.
 */
import type { AppProps } from 'aws-cdk-lib';
import { createLakehouseApp, type LakehouseApp } from './create-lakehouse-app.ts';

/** The cloud assembly folder of `environment`'s Stage of an app already built (the demo builds one to print what it deploys). */
export function synthesizeEnvironmentAssembly(lakehouse: LakehouseApp, environment: string): string {
  const stage = lakehouse.stages.find((candidate) => candidate.stageName === environment);
  if (stage === undefined) {
    throw new Error(`the app has no stage '${environment}' (it has: ${lakehouse.stages.map((candidate) => candidate.stageName).join(', ')})`);
  }
  return stage.synth().directory;
}

/** Builds the app of `contractsRoot` with `createLakehouseApp` and synthesizes `environment`'s Stage into `appProps.outdir`. */
export async function synthesizeAssembly(contractsRoot: string, environment: string, appProps: AppProps): Promise<string> {
  return synthesizeEnvironmentAssembly(await createLakehouseApp(contractsRoot, appProps), environment);
}
