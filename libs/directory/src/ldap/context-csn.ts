import { Entry } from 'ldapts';
import { ChangeMarkerReader } from '../cache/change-watch';
import { valuesOf } from './entry-values';

/** Reads one entry (scope base), or undefined when it does not exist. */
export type EntryReader = (dn: string, attributes: string[]) => Promise<Entry | undefined>;

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
  const wanted = comparable(dn);
  const holding = namingContexts
    .filter((context) => {
      const candidate = comparable(context);
      return wanted === candidate || wanted.endsWith(`,${candidate}`);
    })
    .sort((a, b) => b.length - a.length);
  return holding[0] ?? dn;
}

// Close enough for picking a suffix among a server's few naming contexts; never used to match user input.
function comparable(dn: string): string {
  return dn.toLowerCase().replace(/\s*([,=])\s*/g, '$1');
}
