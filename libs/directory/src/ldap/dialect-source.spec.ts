import { Logger } from '@nestjs/common';
import { Client } from 'ldapts';
import { demoDirectoryOptions } from '@test/support/demo-directory';
import { DirectoryUnavailableError } from '../directory.errors';
import { DirectoryOptions } from '../directory.options';
import { ACTIVE_DIRECTORY } from './active-directory/active-directory-dialect';
import { dialectOfRootDse, dialectSourceFor } from './dialect-source';
import { bindFirstReachable } from './ldap-clients';
import { OPENLDAP } from './openldap/openldap-dialect';

jest.mock('./ldap-clients', () => ({
  ...jest.requireActual('./ldap-clients'),
  bindFirstReachable: jest.fn(),
  unbindQuietly: jest.fn(),
}));

const ACTIVE_DIRECTORY_ROOT_DSE = {
  dn: '',
  supportedCapabilities: ['1.2.840.113556.1.4.800', '1.2.840.113556.1.4.1670'],
};

describe(dialectOfRootDse.name, () => {
  it('recognises Active Directory by the capability every domain controller lists', () => {
    expect(dialectOfRootDse(ACTIVE_DIRECTORY_ROOT_DSE)).toBe(ACTIVE_DIRECTORY);
  });

  it('takes any other server, or a rootDSE it may not read, as OpenLDAP-like', () => {
    expect(dialectOfRootDse({ dn: '', supportedLDAPVersion: '3' })).toBe(OPENLDAP);
    expect(dialectOfRootDse(undefined)).toBe(OPENLDAP);
  });
});

describe(dialectSourceFor.name, () => {
  const bind = jest.mocked(bindFirstReachable);
  const options = (dialect: DirectoryOptions['dialect']) => demoDirectoryOptions('ldap://directory', { dialect });
  const serverWithRootDse = () =>
    ({ search: jest.fn().mockResolvedValue({ searchEntries: [ACTIVE_DIRECTORY_ROOT_DSE] }) }) as unknown as Client;
  let log: jest.SpyInstance;

  beforeEach(() => {
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    bind.mockReset().mockImplementation(async () => serverWithRootDse());
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('gives a configured dialect without asking the server', async () => {
    await expect(dialectSourceFor(options('openldap')).dialect()).resolves.toBe(OPENLDAP);
    await expect(dialectSourceFor(options('active-directory')).dialect()).resolves.toBe(ACTIVE_DIRECTORY);
    expect(bind).not.toHaveBeenCalled();
  });

  it('reads the rootDSE once for concurrent first calls, and logs the dialect it says', async () => {
    const sut = dialectSourceFor(options('auto'));

    await expect(Promise.all([sut.dialect(), sut.dialect()])).resolves.toEqual([ACTIVE_DIRECTORY, ACTIVE_DIRECTORY]);
    await expect(sut.dialect()).resolves.toBe(ACTIVE_DIRECTORY);

    expect(bind).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith("DIRECTORY_DIALECT=auto: the directory's rootDSE says active-directory");
  });

  it('fails as the directory being unavailable while the rootDSE cannot be read, and reads it again later', async () => {
    const sut = dialectSourceFor(options('auto'));
    bind.mockRejectedValueOnce(new Error('connect ECONNREFUSED'));

    await expect(sut.dialect()).rejects.toBeInstanceOf(DirectoryUnavailableError);
    await expect(sut.dialect()).resolves.toBe(ACTIVE_DIRECTORY);
  });

  it('takes no dialect from a detection that ends after it was closed', async () => {
    const sut = dialectSourceFor(options('auto'));
    let answer: (client: Client) => void = () => undefined;
    bind.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));

    const detection = sut.dialect();
    sut.close();
    answer(serverWithRootDse());

    await expect(detection).rejects.toThrow('dialect detection: the directory is closed');
    await expect(detection).rejects.toBeInstanceOf(DirectoryUnavailableError);
    expect(log).not.toHaveBeenCalled();
  });
});
