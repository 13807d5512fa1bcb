import { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { assertBuilt, startBuilt, waitForOutput, waitForStatus } from '@test/support/built-service';
import { basic } from '@test/support/basic';
import { demoEnvironment, IDS } from '@test/support/demo-directory';
import { freePort } from '@test/support/free-port';
import { DEMO, Slapd } from '@test/support/slapd';

const CHECK = `/api/security/users/tdurden/groups/${IDS.paperStreetSoapCompany}`;

async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

/** The built service started with a mistake, kept running, and stopped after the test whatever happens. */
async function withService(
  environment: Record<string, string>,
  test: (service: { base: string; child: ChildProcess; output: () => string }) => Promise<void>,
): Promise<void> {
  const port = await freePort();
  const { child, output } = startBuilt({ ...environment, PORT: String(port) });
  try {
    await test({ base: `http://127.0.0.1:${port}`, child, output });
  } finally {
    await stopped(child);
  }
}

async function readinessReason(base: string, child: ChildProcess): Promise<unknown> {
  const response = await waitForStatus(`${base}/health/ready`, 503, child);
  const body = (await response.json()) as { error: { directory: { reason: string } } };
  return body.error.directory.reason;
}

function checkAsAdministrator(base: string): Promise<Response> {
  return fetch(`${base}${CHECK}`, { method: 'HEAD', headers: { Authorization: basic('sysadmin', 'admin-secret') } });
}

/** The service refuses to start: its exit code and what it wrote. */
async function refusedStart(environment: Record<string, string>): Promise<{ code: number; output: string }> {
  const { child, output } = startBuilt(environment);
  const [code] = (await once(child, 'exit')) as [number];
  return { code, output: output() };
}

describe('configuration mistakes, named by the built service', () => {
  let slapd: Slapd;

  beforeAll(async () => {
    assertBuilt();
    slapd = await Slapd.start();
  });

  afterAll(async () => {
    await slapd?.destroy();
  });

  describe('the directory refusing at start', () => {
    it('names LDAP_BIND_PASSWORD for a wrong password, keeps serving, and answers 500 with readiness giving the reason', async () => {
      await withService(
        demoEnvironment(slapd.url, { LDAP_BIND_PASSWORD: 'not-the-password-7c2e' }),
        async ({ base, child, output }) => {
          await waitForOutput(output, 'the directory refused the service account');

          expect(await readinessReason(base, child)).toBe('SERVICE_ACCOUNT_REFUSED');
          expect((await fetch(`${base}/health/live`)).status).toBe(200);
          const check = await checkAsAdministrator(base);
          expect(check.status).toBe(500);
          expect(output()).toContain(
            'LDAP_BIND_PASSWORD: the directory refused the service account (invalid credentials); ' +
              'if the password is right, LDAP_BIND_DN names no account',
          );
          expect(output()).not.toContain('not-the-password-7c2e');
        },
      );
    });

    it('answers alike for a bind DN that names no entry, which a simple bind cannot tell apart', async () => {
      await withService(
        demoEnvironment(slapd.url, { LDAP_BIND_DN: `cn=nobody,ou=services,${DEMO.baseDn}` }),
        async ({ base, child, output }) => {
          await waitForOutput(
            output,
            'LDAP_BIND_PASSWORD: the directory refused the service account (invalid credentials)',
          );
          expect(await readinessReason(base, child)).toBe('SERVICE_ACCOUNT_REFUSED');
        },
      );
    });

    it('names LDAP_BIND_DN for a bind DN that is no DN', async () => {
      await withService(demoEnvironment(slapd.url, { LDAP_BIND_DN: 'security-api' }), async ({ output }) => {
        await waitForOutput(output, 'LDAP_BIND_DN: the directory refused the service account (invalid DN syntax)');
      });
    });

    it('names LDAP_BASE_DN for a base the directory does not hold', async () => {
      await withService(
        demoEnvironment(slapd.url, { LDAP_BASE_DN: 'dc=nowhere,dc=com', LDAP_GROUP_BASE_DN: '' }),
        async ({ base, child, output }) => {
          await waitForOutput(output, 'LDAP_BASE_DN: the directory has no entry dc=nowhere,dc=com (no such object)');
          expect(await readinessReason(base, child)).toBe('BASE_DN_MISSING');
          expect((await checkAsAdministrator(base)).status).toBe(500);
        },
      );
    });

    it('names the user base that is missing, and is ready once the entry is made', async () => {
      const missing = `ou=later,${DEMO.baseDn}`;
      await withService(demoEnvironment(slapd.url, { LDAP_USER_BASE_DN: missing }), async ({ base, child, output }) => {
        await waitForOutput(output, `LDAP_USER_BASE_DN: the directory has no entry ${missing} (no such object)`);
        expect(await readinessReason(base, child)).toBe('BASE_DN_MISSING');

        await slapd.asRoot(
          'ldapmodify',
          [],
          `dn: ${missing}\nchangetype: add\nobjectClass: organizationalUnit\nou: later\n`,
        );

        await waitForStatus(`${base}/health/ready`, 200, child);
      });
    });
  });

  it('starts with a warning while the directory is unreachable, and is ready once it answers', async () => {
    const late = await Slapd.start();
    try {
      await late.stop();
      await withService(demoEnvironment(late.url), async ({ base, child, output }) => {
        await waitForOutput(output, 'LDAP_URL: no directory server answers yet');
        expect(output()).toMatch(/"level":"warn".*LDAP_URL: no directory server answers yet/);
        expect(await readinessReason(base, child)).toBe('UNREACHABLE');

        await late.restart();

        await waitForStatus(`${base}/health/ready`, 200, child);
        expect((await checkAsAdministrator(base)).status).toBe(204);
      });
    } finally {
      await late.destroy();
    }
  });

  it('warns about a misspelt variable with the name it was probably meant to be, never with its value', async () => {
    await withService(
      demoEnvironment(slapd.url, { LDAP_BIND_PASWORD: 'typo-secret-3f8a', ADMIN_GRUOP: 'Admins' }),
      async ({ base, child, output }) => {
        await waitForStatus(`${base}/health/ready`, 200, child);
        expect(output()).toContain('LDAP_BIND_PASWORD: unknown variable; did you mean LDAP_BIND_PASSWORD?');
        expect(output()).toContain('ADMIN_GRUOP: unknown variable; did you mean ADMIN_GROUP?');
        expect(output()).not.toContain('typo-secret-3f8a');
      },
    );
  });

  it.each(['1e3', '0x1388', '1.5', ' 5', '+5'])(
    'refuses DIRECTORY_STALENESS_MS=%j in one plain block on stderr, without a stack or colour, exiting 1',
    async (written) => {
      const { code, output } = await refusedStart(
        demoEnvironment(slapd.url, { DIRECTORY_STALENESS_MS: written, MAX_GROUPS_PER_CHECK: '0' }),
      );

      expect(code).toBe(1);
      expect(output).toBe(
        [
          'Invalid configuration:',
          '  MAX_GROUPS_PER_CHECK: must be a whole number in decimal digits, from 1 to 1000; given "0"',
          `  DIRECTORY_STALENESS_MS: must be a whole number in decimal digits, from 0 to 3600000; given ${JSON.stringify(written)}`,
          '',
        ].join('\n'),
      );
    },
  );

  it('says "must be set" for a variable left unset, and nothing about a password it was not given', async () => {
    const { LDAP_BIND_PASSWORD: _password, ...withoutPassword } = demoEnvironment(slapd.url);
    const { code, output } = await refusedStart({ ...withoutPassword, LDAP_BASE_DN: '' });

    expect(code).toBe(1);
    expect(output).toBe(
      [
        'Invalid configuration:',
        '  LDAP_BASE_DN: must be set',
        '  LDAP_BIND_PASSWORD: set it, or LDAP_BIND_PASSWORD_FILE',
        '',
      ].join('\n'),
    );
  });

  it('listens on the address HOST names only', async () => {
    await withService(demoEnvironment(slapd.url, { HOST: '127.0.0.1' }), async ({ base, child }) => {
      await waitForStatus(`${base}/health/live`, 200, child);
      const elsewhere = base.replace('127.0.0.1', '127.0.0.2');
      await expect(fetch(`${elsewhere}/health/live`)).rejects.toThrow();
    });
  });
});
