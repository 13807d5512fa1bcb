import { Directory, DirectoryFault, faultOf } from '@app/directory';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Environment } from '../config/environment';

/**
 * At start the service binds its account and reads each search base once, and says in one line what to fix when the
 * directory refuses. The start goes on whatever the answer: orchestrators start services in any order, readiness
 * answers 503 with the reason until the directory serves, and each probe and request asks again.
 */
@Injectable()
export class DirectoryStartCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('DirectoryStartCheck');

  constructor(
    private readonly directory: Directory,
    private readonly environment: Environment,
  ) {}

  /** Not awaited: a silent directory would hold the start for the whole ping timeout. */
  onApplicationBootstrap(): void {
    void this.check();
  }

  async check(): Promise<void> {
    try {
      await this.directory.ping();
      this.logger.log('The directory accepts the service account and holds every search base');
    } catch (error) {
      const fault = faultOf(error);
      const line = this.lineFor(fault, error);
      if (fault.reason === 'UNREACHABLE') {
        this.logger.warn(line);
      } else {
        this.logger.error(line);
      }
    }
  }

  /** The variable to fix first, then what the directory said, without its stack: the operator's whole message. */
  private lineFor(fault: DirectoryFault, error: unknown): string {
    const { environment } = this;
    switch (fault.reason) {
      case 'SERVICE_ACCOUNT_REFUSED': {
        const refused = `the directory refused the service account (${fault.detail})`;
        if (fault.detail === 'invalid credentials') {
          // A simple bind cannot tell a wrong password from a DN that names no entry: the server answers alike.
          const password = environment.LDAP_BIND_PASSWORD_FILE ? 'LDAP_BIND_PASSWORD_FILE' : 'LDAP_BIND_PASSWORD';
          return `${password}: ${refused}; if the password is right, LDAP_BIND_DN names no account`;
        }
        return `LDAP_BIND_DN: ${refused}`;
      }
      case 'BASE_DN_MISSING':
        return `${this.variableHolding(fault.dn)}: the directory has no entry ${fault.dn} (no such object)`;
      case 'UNREACHABLE':
        return `LDAP_URL: no directory server answers yet (${messageOf(error)}); starting anyway, readiness answers 503 until one does`;
      case 'TLS':
        return `LDAP_URL: no verified TLS connection to the directory (${messageOf(error)}); check LDAP_TLS_CA_FILE and the server's certificate`;
      case 'UNEXPECTED':
        return `The directory answered the start's check unexpectedly (${messageOf(error)})`;
    }
  }

  private variableHolding(dn: string): string {
    const { LDAP_BASE_DN, LDAP_USER_BASE_DN, LDAP_GROUP_BASE_DN } = this.environment;
    const bases = { LDAP_BASE_DN, LDAP_USER_BASE_DN, LDAP_GROUP_BASE_DN };
    return Object.entries(bases).find(([, value]) => value === dn)?.[0] ?? 'LDAP_BASE_DN';
  }
}

/** The innermost message of an error's causes: the server's or the socket's own words. */
function messageOf(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) {
    current = current.cause;
  }
  return current instanceof Error ? current.message : String(current);
}
