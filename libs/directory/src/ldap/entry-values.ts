import { Entry } from 'ldapts';
import { DirectoryError } from '../directory.errors';

/**
 * All values of an attribute as the client decoded them; servers may return the attribute name in another case than
 * requested. Active Directory hands a value list longer than its MaxValRange out in slices (`member;range=0-1499`),
 * which this service does not page through: such an entry is refused, never read as if the slice were everything.
 */
export function rawValuesOf(entry: Entry, attribute: string): (string | Buffer)[] {
  const wanted = attribute.toLowerCase();
  const names = Object.keys(entry);
  const sliced = names.find((name) => name.toLowerCase().startsWith(`${wanted};range=`));
  if (sliced !== undefined) {
    throw new DirectoryError(`${entry.dn} has more ${attribute} values than the directory returns at once (${sliced})`);
  }
  const key = names.find((name) => name.toLowerCase() === wanted);
  if (key === undefined) {
    return [];
  }
  const raw = entry[key];
  return Array.isArray(raw) ? raw : [raw];
}

/** All values of an attribute, as text. */
export function valuesOf(entry: Entry, attribute: string): string[] {
  return rawValuesOf(entry, attribute).map((value) => (Buffer.isBuffer(value) ? value.toString('utf8') : value));
}

export function firstValueOf(entry: Entry, attribute: string): string | undefined {
  return valuesOf(entry, attribute)[0];
}
