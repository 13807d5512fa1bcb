import { hasUuidSyntax } from '../../identifier';

/**
 * Active Directory's objectGUID is 16 bytes in Microsoft's GUID layout: the first three fields (4, 2 and 2 bytes) are
 * little-endian, the last 8 bytes are in order. Its tools (and the ids clients already hold) print that layout, so a
 * plain hex dump of the bytes would name another object.
 */
const LITTLE_ENDIAN_FIELDS = [
  [0, 4],
  [4, 6],
  [6, 8],
] as const;

export function guidFromBytes(bytes: Buffer): string {
  if (bytes.length !== 16) {
    throw new Error(`An objectGUID is 16 bytes, not ${bytes.length}`);
  }
  const fields = LITTLE_ENDIAN_FIELDS.map(([start, end]) =>
    Buffer.from(bytes.subarray(start, end)).reverse().toString('hex'),
  );
  const tail = bytes.subarray(8).toString('hex');
  return [...fields, tail.slice(0, 4), tail.slice(4)].join('-');
}

export function bytesFromGuid(guid: string): Buffer {
  if (!hasUuidSyntax(guid)) {
    throw new Error('Only a value with UUID syntax can name an objectGUID');
  }
  const hex = guid.replace(/-/g, '');
  const bytes = Buffer.from(hex, 'hex');
  for (const [start, end] of LITTLE_ENDIAN_FIELDS) {
    bytes.subarray(start, end).reverse();
  }
  return bytes;
}
