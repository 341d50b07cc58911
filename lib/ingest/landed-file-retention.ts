import type { S3Client } from '@aws-sdk/client-s3';
import { s3Uri } from '../config/names.ts';
import { RETENTION_TAG_KEY, retentionClassFor } from '../config/retention.ts';
import type { Dataset } from '../contracts/model.ts';
import type { LandedObject } from './delivery-file-id.ts';
import { objectTags, replaceObjectTags } from './s3-objects.ts';

/** S3 allows at most 10 tags on one object. */
const MAX_TAGS_PER_OBJECT = 10;

/**
 * Tags the landed version the validator read with its contract's retention class, so landing
 * keeps a delivery as long as its contract asks and then lets it expire, like the outputs made
 * from it. Landing's lifecycle rules match only this tag and only the validator writes it, after
 * it has read the file: a file no validator reaches stays untagged and is kept, never lost.
 *
 * PutObjectTagging replaces the whole tag set, so the producer's own tags are read first and kept
 * (they may drive their own tooling); only a `lakehouse:retention` tag is set to the contract's
 * class. A version already carrying it is left alone, so a replay sends no second request.
 */
export async function tagLandedFile(s3: S3Client, object: LandedObject, dataset: Pick<Dataset, 'retentionDays'>): Promise<void> {
  const retention = retentionClassFor(dataset.retentionDays).tag;
  const tags = await objectTags(s3, object);
  if (tags[RETENTION_TAG_KEY] === retention) return;
  const { [RETENTION_TAG_KEY]: _replaced, ...producerTags } = tags;
  if (Object.keys(producerTags).length >= MAX_TAGS_PER_OBJECT) {
    throw new Error(
      `${s3Uri(object.bucket, object.key)} carries ${Object.keys(producerTags).length} tags of its producer, S3's maximum, so its retention tag does not fit`,
    );
  }
  await replaceObjectTags(s3, object, { ...producerTags, [RETENTION_TAG_KEY]: retention });
}
