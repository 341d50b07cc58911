const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Byte-order marks of encodings we do not read, longest first so UTF-32 LE is not taken for UTF-16 LE. */
const FOREIGN_BYTE_ORDER_MARKS: readonly { readonly bytes: Buffer; readonly encoding: string }[] = [
  { bytes: Buffer.from([0xff, 0xfe, 0x00, 0x00]), encoding: 'UTF-32' },
  { bytes: Buffer.from([0x00, 0x00, 0xfe, 0xff]), encoding: 'UTF-32' },
  { bytes: Buffer.from([0xff, 0xfe]), encoding: 'UTF-16' },
  { bytes: Buffer.from([0xfe, 0xff]), encoding: 'UTF-16' },
];

/** The encoding a byte-order mark at the start announces, when it is not UTF-8. */
export function foreignEncodingOf(prefix: Buffer): string | undefined {
  return FOREIGN_BYTE_ORDER_MARKS.find((mark) => prefix.subarray(0, mark.bytes.length).equals(mark.bytes))?.encoding;
}

/** The bytes after a leading UTF-8 byte-order mark (DuckDB skips it too). */
export function withoutUtf8Bom(prefix: Buffer): Buffer {
  return prefix.subarray(0, UTF8_BOM.length).equals(UTF8_BOM) ? prefix.subarray(UTF8_BOM.length) : prefix;
}

/** A file's chunks after a leading UTF-8 byte-order mark, however the chunks split it. */
export async function* chunksAfterUtf8Bom(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let start = Buffer.alloc(0);
  let checked = false;
  for await (const chunk of chunks) {
    if (checked) {
      yield chunk;
      continue;
    }
    start = Buffer.concat([start, chunk]);
    if (start.length < UTF8_BOM.length && start.equals(UTF8_BOM.subarray(0, start.length))) continue;
    checked = true;
    yield withoutUtf8Bom(start);
  }
  if (!checked && start.length > 0) yield start;
}
