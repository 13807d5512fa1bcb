import { demoDirectoryOptions } from '@test/support/demo-directory';
import { DirectoryUnavailableError } from '../directory.errors';
import { DialectSource } from './dialect-source';
import { LdapDirectory } from './ldap-directory';
import { OPENLDAP } from './openldap/openldap-dialect';

describe(LdapDirectory.name, () => {
  const options = demoDirectoryOptions('ldap://directory', { dialect: 'auto', stalenessMs: 0 });
  const notYet = new DirectoryUnavailableError('dialect detection: directory unavailable');
  let dialects: jest.Mocked<DialectSource>;

  beforeEach(() => {
    dialects = { dialect: jest.fn(), close: jest.fn() };
  });

  it('asks for its dialect at start, and fails every call as the directory being unavailable until it is known', async () => {
    dialects.dialect.mockRejectedValueOnce(notYet).mockRejectedValueOnce(notYet).mockResolvedValue(OPENLDAP);
    const sut = new LdapDirectory(options, dialects);

    sut.onApplicationBootstrap();
    expect(dialects.dialect).toHaveBeenCalledTimes(1);
    await expect(sut.authenticate('', '')).rejects.toBe(notYet);

    await expect(sut.authenticate('', '')).resolves.toBeUndefined();
    await sut.onApplicationShutdown();
    expect(dialects.close).toHaveBeenCalled();
  });

  it('refuses unusable options at construction, before any dialect is known', () => {
    expect(() => new LdapDirectory({ ...options, urls: ['ldaps://a', 'ldap://b'] }, dialects)).toThrow(
      /Invalid directory options: ldaps:\/\/ and ldap:\/\/ URLs are mixed/,
    );
    expect(dialects.dialect).not.toHaveBeenCalled();
  });
});
