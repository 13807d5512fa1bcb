import { Entry, Filter, NoSuchObjectError, SearchOptions } from 'ldapts';
import { DirectoryObserver } from '../directory-observer';
import { asDirectoryFailure, asMissingBase } from './ldap-failure';
import { observed } from './observed-operation';
import { ServiceConnection } from './service-connection';

/** Servers cap the entries of one answer (slapd: 500, Active Directory: 1000); a level may hold more groups. */
export const LEVEL_PAGE_SIZE = 500;

/** Reads one entry (scope base), or undefined when it does not exist. */
export type EntryReader = (dn: string, attributes: string[]) => Promise<Entry | undefined>;

/**
 * Searches on the service account's connection, each reported to the observer, whose failures are the directory's
 * errors with the LDAP detail as their cause.
 */
export class LdapSearch {
  constructor(
    private readonly connection: ServiceConnection,
    private readonly observer: DirectoryObserver,
    /** Attributes the client must keep as bytes: binary ids, and the SIDs that lead to primary groups. */
    private readonly binaryAttributes: string[],
  ) {}

  async search(
    baseDn: string,
    filter: Filter,
    attributes: string[],
    limits: Pick<SearchOptions, 'sizeLimit' | 'paged'>,
  ): Promise<Entry[]> {
    try {
      const result = await observed(this.observer, 'search', () =>
        this.connection.use((client) =>
          client.search(baseDn, {
            scope: 'sub',
            filter,
            attributes,
            explicitBufferAttributes: this.binaryAttributes,
            ...limits,
          }),
        ),
      );
      return result.searchEntries;
    } catch (error) {
      throw asDirectoryFailure(asMissingBase(error, baseDn), 'search');
    }
  }

  /** Like search, but hands each LDAP page's entries over as it arrives, so that none is kept here. */
  async searchEach(baseDn: string, filter: Filter, attributes: string[], visit: (entry: Entry) => void): Promise<void> {
    try {
      // One listing is one search to the observer, however many LDAP pages it takes.
      await observed(this.observer, 'search', () =>
        this.connection.use(async (client) => {
          const options = {
            scope: 'sub',
            filter,
            attributes,
            explicitBufferAttributes: this.binaryAttributes,
            paged: { pageSize: LEVEL_PAGE_SIZE },
          } as const;
          const pages = client.searchPaginated(baseDn, options);
          for await (const result of pages) {
            result.searchEntries.forEach(visit);
          }
        }),
      );
    } catch (error) {
      throw asDirectoryFailure(asMissingBase(error, baseDn), 'search');
    }
  }

  async readEntry(dn: string, attributes: string[]): Promise<Entry | undefined> {
    try {
      const result = await observed(this.observer, 'read', () =>
        this.connection.use((client) => client.search(dn, { scope: 'base', attributes })),
      );
      return result.searchEntries[0];
    } catch (error) {
      if (error instanceof NoSuchObjectError) {
        return undefined;
      }
      throw asDirectoryFailure(error, 'read');
    }
  }
}
