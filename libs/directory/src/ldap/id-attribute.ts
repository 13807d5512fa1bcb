import { Entry, Filter } from 'ldapts';
import { bytesFromGuid, guidFromBytes } from './active-directory/object-guid';
import { rawValuesOf } from './entry-values';
import { equals } from './ldap-filters';

/** How ids are read from one attribute and looked up in it: as text, or as Active Directory's binary GUID. */
export interface IdAttribute {
  readonly name: string;
  /** The entry's id in the form clients see, or undefined when the entry has none. */
  read(entry: Entry): string | undefined;
  /** A filter for the entries whose id this is. */
  matching(id: string): Filter;
  /** Names that searches must ask the client to keep as bytes (ldapts matches them case-sensitively). */
  readonly binaryNames: readonly string[];
}

export function idAttribute(name: string): IdAttribute {
  return name.toLowerCase() === 'objectguid' ? guidAttribute(name) : textAttribute(name);
}

function textAttribute(name: string): IdAttribute {
  return {
    name,
    read: (entry) => {
      const value = rawValuesOf(entry, name)[0];
      return Buffer.isBuffer(value) ? value.toString('utf8') : value;
    },
    matching: (id) => equals(name, id),
    binaryNames: [],
  };
}

function guidAttribute(name: string): IdAttribute {
  return {
    name,
    read: (entry) => {
      const value = rawValuesOf(entry, name)[0];
      // Kept as bytes by binaryNames; a string here would be bytes the client already decoded as UTF-8, and wrong.
      if (value !== undefined && !Buffer.isBuffer(value)) {
        throw new Error(`${name} of ${entry.dn} arrived as text, not as its bytes`);
      }
      return value && guidFromBytes(value);
    },
    matching: (id) => equals(name, bytesFromGuid(id)),
    binaryNames: [...new Set([name, 'objectGUID'])],
  };
}

/** UUIDs and GUIDs are case-insensitive on input (RFC 4122, 3). */
export function sameId(stored: string | undefined, identifier: string): boolean {
  return stored !== undefined && stored.toLowerCase() === identifier.toLowerCase();
}
