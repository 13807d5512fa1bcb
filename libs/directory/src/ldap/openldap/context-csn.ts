import { ChangeMarkerReader } from '../../cache/change-watch';
import { isAtOrBelow } from '../dn-scope';
import { valuesOf } from '../entry-values';
import { EntryReader } from '../ldap-search';

/**
 * The change marker of OpenLDAP-style servers: the contextCSN that syncprov keeps on the suffix of the database
 * holding baseDn, renewed by every write. Several values (one per provider) are all part of the marker.
 */
export function contextCsnReader(readEntry: EntryReader, baseDn: string): ChangeMarkerReader {
  let suffix: string | undefined;
  return async () => {
    if (suffix === undefined) {
      const rootDse = await readEntry('', ['namingContexts']);
      suffix = namingContextHolding(baseDn, rootDse ? valuesOf(rootDse, 'namingContexts') : []);
    }
    const entry = await readEntry(suffix, ['contextCSN']);
    const values = entry ? valuesOf(entry, 'contextCSN') : [];
    return values.length > 0 ? values.sort().join(' ') : undefined;
  };
}

/** The closest naming context above (or at) the DN; the DN itself when the server lists none that holds it. */
export function namingContextHolding(dn: string, namingContexts: readonly string[]): string {
  const holding = namingContexts.filter((context) => isAtOrBelow(dn, context)).sort((a, b) => b.length - a.length);
  return holding[0] ?? dn;
}
