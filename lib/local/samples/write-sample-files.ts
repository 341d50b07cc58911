/**
 * Writes generated rows as delivery files: `<folder>/<domain>/<dataset>-<label>.<csv|jsonl>`, each
 * in the format its contract takes, ready to land through the dataset's pipeline. The label keeps
 * the file's name, and so its landing key, apart from a hand-written sample's: a keyless dataset's
 * delivery replaces the rows of earlier deliveries under the same key. Never into a contracts
 * folder's `samples/`: callers give a folder of the workspace.
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

export function writeSampleFiles(samples: readonly DatasetSample[], folder: string, label: string): SampleDelivery[] {
  return samples.map(({ dataset, rows }) => {
    const { extension, text } = sampleFileText(dataset, rows);
    const file = join(folder, dataset.domain, `${dataset.name}-${label}${extension}`);
    mkdirSync(join(folder, dataset.domain), { recursive: true });
    writeFileSync(file, text);
    return { dataset, file, rows: rows.length };
  });
}
