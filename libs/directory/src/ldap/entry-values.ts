import { Entry } from 'ldapts';

/** All values of an attribute; servers may return the attribute name in another case than requested. */
export function valuesOf(entry: Entry, attribute: string): string[] {
  const wanted = attribute.toLowerCase();
  const key = Object.keys(entry).find((name) => name.toLowerCase() === wanted);
  if (key === undefined) {
    return [];
  }
  const raw = entry[key];
  return (Array.isArray(raw) ? raw : [raw]).map((value) => (Buffer.isBuffer(value) ? value.toString('utf8') : value));
}

export function firstValueOf(entry: Entry, attribute: string): string | undefined {
  return valuesOf(entry, attribute)[0];
}
