import { ChangeMarkerReader } from '../../cache/change-watch';
import { firstValueOf } from '../entry-values';
import { EntryReader } from '../ldap-search';

/**
 * The change marker of Active Directory: the rootDSE's highestCommittedUSN, the update sequence number of the latest
 * write this domain controller committed (its own or replicated). Another domain controller has other numbers, so
 * failing over reads as a change, which only drops cached answers.
 */
export function highestCommittedUsnReader(readEntry: EntryReader): ChangeMarkerReader {
  return async () => {
    const rootDse = await readEntry('', ['highestCommittedUSN']);
    return rootDse && firstValueOf(rootDse, 'highestCommittedUSN');
  };
}
