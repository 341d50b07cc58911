/**
 * Writes generated rows as delivery files: `<folder>/<domain>/<dataset>.<csv|jsonl>`, each in the
 * format its contract takes, ready to land through the dataset's pipeline. Never into a contracts
 * folder's hand-written `samples/`: callers give a folder of the workspace.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../../contracts/model.ts';
import type { DatasetSample } from '../../ml/samples/churn-samples.ts';
import { sampleFileText } from '../../ml/samples/sample-file-text.ts';

export interface SampleDelivery {
  readonly dataset: Dataset;
  readonly file: string;
  readonly rows: number;
}

export function writeSampleFiles(samples: readonly DatasetSample[], folder: string): SampleDelivery[] {
  return samples.map(({ dataset, rows }) => {
    const { extension, text } = sampleFileText(dataset, rows);
    const file = join(folder, dataset.domain, `${dataset.name}${extension}`);
    mkdirSync(join(folder, dataset.domain), { recursive: true });
    writeFileSync(file, text);
    return { dataset, file, rows: rows.length };
  });
}
