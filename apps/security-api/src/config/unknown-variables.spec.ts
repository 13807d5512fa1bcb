import { Environment } from './environment';
import { unknownVariableWarnings, variableNamesOf } from './unknown-variables';

describe(unknownVariableWarnings.name, () => {
  const known = variableNamesOf(Environment);

  it('knows every variable the service reads, and nothing that is not one', () => {
    expect(known).toEqual(expect.arrayContaining(['HOST', 'PORT', 'LDAP_BIND_PASSWORD', 'ADMIN_GROUP', 'LOG_LEVEL']));
    expect(known).not.toContain('tlsCaCertificates');
  });

  it('names a misspelt variable and the one it was probably meant to be, never its value', () => {
    const warnings = unknownVariableWarnings(
      { LDAP_BIND_PASWORD: 'a-secret-41d9', ADMIN_GRUOP: 'Admins', LDAP_URL: 'ldap://127.0.0.1' },
      known,
    );

    expect(warnings).toEqual([
      'ADMIN_GRUOP: unknown variable; did you mean ADMIN_GROUP?',
      'LDAP_BIND_PASWORD: unknown variable; did you mean LDAP_BIND_PASSWORD?',
    ]);
    expect(warnings.join('\n')).not.toContain('a-secret-41d9');
  });

  it("warns about any variable with one of the service's prefixes, with no guess when none is near", () => {
    expect(unknownVariableWarnings({ LDAP_REFERRALS: 'follow', METRICS_ENABLED: 'true' }, known)).toEqual([
      'LDAP_REFERRALS: unknown variable',
      'METRICS_ENABLED: unknown variable',
    ]);
  });

  it("leaves other programs' variables alone", () => {
    expect(unknownVariableWarnings({ PATH: '/usr/bin', HOSTNAME: 'api-1', NODE_ENV: 'production' }, known)).toEqual([]);
  });
});
