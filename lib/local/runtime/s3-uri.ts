/** `s3://<bucket>/<key>` split into its parts, as every S3 API call names an object or a prefix. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

const S3_URI = /^s3:\/\/([^/]+)\/(.*)$/;

export function parseS3Uri(uri: string): S3Location | undefined {
  const match = S3_URI.exec(uri);
  return match === null ? undefined : { bucket: match[1]!, key: match[2]! };
}
