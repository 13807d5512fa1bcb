import { randomUUID } from 'node:crypto';
import { InvalidCredentialsError } from 'ldapts';
import { Freshness } from '../cache/freshness';
import { DirectoryUser } from '../directory';
import { DirectoryObserver } from '../directory-observer';
import { LoginKeys } from '../login-keys';
import { DatedCache, REFUSED } from './directory-caches';
import { bindFirstReachable, ClientSettings, unbindQuietly } from './ldap-clients';
import { asDirectoryFailure } from './ldap-failure';
import { observed } from './observed-operation';
import { ServiceConnection } from './service-connection';
import { ResolvedUser, UserResolver } from './user-resolution';

/** A login (username or email) and its password, checked by a simple bind as the user's DN on a fresh client. */
export class Logins {
  private readonly loginKeys = new LoginKeys();
  /** A name no entry has, to bind to for logins that name nobody. */
  private readonly noSuchUserDn: string;

  constructor(
    private readonly users: UserResolver,
    private readonly freshness: Freshness,
    private readonly verifiedLogins: DatedCache<string, ResolvedUser | typeof REFUSED>,
    private readonly connection: ServiceConnection,
    private readonly settings: ClientSettings,
    private readonly observer: DirectoryObserver,
    userBaseDn: string,
  ) {
    this.noSuchUserDn = `cn=no such user ${randomUUID()},${userBaseDn}`;
  }

  async authenticate(login: string, password: string): Promise<DirectoryUser | undefined> {
    if (login === '' || password === '') {
      return undefined;
    }
    const key = this.loginKeys.of(login, password);
    let outcome = await this.verifyLogin(key, login, password);
    // Two answers in one: the bind's, which lasts by age only, and the lookup's, which marker reads may renew.
    if (outcome !== REFUSED && this.freshness.enabled && !this.freshness.admits(outcome.stamp)) {
      this.verifiedLogins.delete(key);
      outcome = await this.verifyLogin(key, login, password);
    }
    return outcome === REFUSED ? undefined : outcome.user;
  }

  /** Concurrent calls with the same credentials share one bind. */
  private verifyLogin(key: string, login: string, password: string): Promise<ResolvedUser | typeof REFUSED> {
    return this.verifiedLogins.getOrLoad(key, () => this.bindAs(login, password));
  }

  private async bindAs(login: string, password: string): Promise<ResolvedUser | typeof REFUSED> {
    const resolution = await this.users.resolveLogin(login);
    // A login that names nobody costs what a wrong password costs, a bind on a fresh connection, so that the time an
    // answer takes does not tell which logins exist.
    const accepted = await this.binds(resolution.kind === 'found' ? resolution.dn : this.noSuchUserDn, password);
    return accepted && resolution.kind === 'found' ? resolution : REFUSED;
  }

  private async binds(dn: string, password: string): Promise<boolean> {
    let client;
    try {
      const settings = { ...this.settings, urls: this.connection.urlsByPreference() };
      client = await observed(this.observer, 'bind', () => bindFirstReachable(settings, dn, password));
      return true;
    } catch (error) {
      if (error instanceof InvalidCredentialsError) {
        return false;
      }
      throw asDirectoryFailure(error, 'user bind');
    } finally {
      await unbindQuietly(client);
    }
  }
}
