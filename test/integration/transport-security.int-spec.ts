import {
  Directory,
  DirectoryModule,
  DirectoryOptions,
  DirectoryUnavailableError,
  TransportSecurity,
} from '@app/directory';
import { bindFirstReachable, isStillBound, unbindQuietly } from '@app/directory/ldap/ldap-clients';
import { Test } from '@nestjs/testing';
import { readFile } from 'node:fs/promises';
import { demoDirectoryOptions } from '@test/support/demo-directory';
import { makeTestCertificates, TestCertificates } from '@test/support/certificates';
import { DEMO, DEMO_LDIF, Slapd } from '@test/support/slapd';

const START_TLS = 'EXT oid=1.3.6.1.4.1.1466.20037';

describe('LdapDirectory over TLS against a real slapd', () => {
  let certificates: TestCertificates;
  /** The demo directory, with a certificate for 127.0.0.1 from the test CA; StartTLS and ldaps://. */
  let secured: Slapd;
  /** An empty directory whose certificate, from the same CA, names another host. */
  let misnamed: Slapd;
  /** An empty directory without TLS: it refuses StartTLS. */
  let plain: Slapd;
  let testCa: string[];
  let unrelatedCa: string[];
  const opened: Array<{ close: () => Promise<void> }> = [];

  async function directoryWith(
    url: string,
    tls: TransportSecurity,
    overrides: Partial<DirectoryOptions> = {},
  ): Promise<Directory> {
    const moduleRef = await Test.createTestingModule({
      imports: [DirectoryModule.forRoot(demoDirectoryOptions(url, { stalenessMs: 0, tls, ...overrides }))],
    }).compile();
    opened.push(moduleRef);
    return moduleRef.get(Directory);
  }

  /** The error's messages down its chain of causes, as the service's log shows them. */
  async function failureOf(attempt: Promise<unknown>): Promise<{ error: unknown; messages: string }> {
    try {
      await attempt;
    } catch (error) {
      const messages: string[] = [];
      // Errors from Node's own modules are not instances of this test realm's Error.
      for (
        let current = error as { message?: unknown; cause?: unknown } | undefined;
        typeof current?.message === 'string';
        current = current.cause as typeof current
      ) {
        messages.push(current.message);
      }
      return { error, messages: messages.join(' <- ') };
    }
    throw new Error('expected the attempt to fail');
  }

  async function bindsSince(slapd: Slapd, since: number): Promise<string[]> {
    return (await slapd.logLines()).slice(since).filter((line) => / BIND /.test(line));
  }

  beforeAll(async () => {
    certificates = await makeTestCertificates();
    testCa = [await readFile(certificates.caFile, 'utf8')];
    unrelatedCa = [await readFile(certificates.unrelatedCaFile, 'utf8')];
    [secured, misnamed, plain] = await Promise.all([
      Slapd.start([DEMO_LDIF], { certificate: certificates.server }),
      Slapd.start([], { certificate: certificates.misnamedServer }),
      Slapd.start([]),
    ]);
  });

  afterAll(async () => {
    await Promise.all(opened.map((moduleRef) => moduleRef.close()));
    await Promise.all([secured?.destroy(), misnamed?.destroy(), plain?.destroy()]);
    await certificates?.remove();
  });

  describe('with the CA that signed the certificate', () => {
    it.each([
      ['over ldaps://', () => secured.ldapsUrl, false],
      ['over ldap:// upgraded by StartTLS', () => secured.url, true],
      [
        'over ldaps:// to a host name, checked against the DNS names of the certificate',
        () => secured.ldapsUrl.replace('127.0.0.1', 'localhost'),
        false,
      ],
      [
        'over StartTLS to a host name, checked against the DNS names of the certificate',
        () => secured.url.replace('127.0.0.1', 'localhost'),
        true,
      ],
    ])(
      'answers %s, and slapd received every bind, search and ping on a TLS connection',
      async (_how, url, startTls) => {
        const since = (await secured.logLines()).length;
        const sut = await directoryWith(url(), { startTls, caCertificates: testCa });

        await expect(sut.checkMembership('tdurden', ['Paper Street Soap Company'])).resolves.toMatchObject({
          kind: 'member',
        });
        await expect(sut.authenticate('sysadmin', 'admin-secret')).resolves.toMatchObject({ username: 'sysadmin' });
        await expect(sut.authenticate('sysadmin', 'wrong')).resolves.toBeUndefined();
        await expect(sut.ping()).resolves.toBeUndefined();

        const lines = (await secured.logLines()).slice(since);
        // Service account, two logins and the ping: four connections, each with its own bind.
        expect(lines.filter((line) => / BIND dn=".*" method=128$/.test(line))).toHaveLength(4);
        expect(lines.filter((line) => line.includes(START_TLS))).toHaveLength(startTls ? 4 : 0);
        await expect(secured.operationsWithoutTls(since)).resolves.toEqual([]);
      },
    );
  });

  describe('a certificate that cannot be trusted is an outage, never a reason to go on without TLS', () => {
    it.each([
      ['ldaps://, a CA that did not sign it', () => secured.ldapsUrl, false, () => unrelatedCa],
      ['StartTLS, a CA that did not sign it', () => secured.url, true, () => unrelatedCa],
      [
        "ldaps://, no CA: Node's bundled ones do not include a private CA",
        () => secured.ldapsUrl,
        false,
        () => undefined,
      ],
      ["StartTLS, no CA: Node's bundled ones do not include a private CA", () => secured.url, true, () => undefined],
    ])('%s', async (_case, url, startTls, caCertificates) => {
      const since = (await secured.logLines()).length;
      const sut = await directoryWith(url(), { startTls, caCertificates: caCertificates() });

      for (const attempt of [
        sut.ping(),
        sut.checkMembership('tdurden', ['Loners']),
        sut.authenticate('sysadmin', 'admin-secret'),
      ]) {
        const { error, messages } = await failureOf(attempt);
        expect(error).toBeInstanceOf(DirectoryUnavailableError);
        expect(messages).toContain('self-signed certificate in certificate chain');
      }
      await expect(bindsSince(secured, since)).resolves.toEqual([]);
    });

    it.each([
      ['ldaps://', () => misnamed.ldapsUrl, false],
      ['StartTLS', () => misnamed.url, true],
    ])("a certificate that does not name the URL's IP address, over %s", async (_how, url, startTls) => {
      const since = (await misnamed.logLines()).length;
      const sut = await directoryWith(url(), { startTls, caCertificates: testCa });

      const { error, messages } = await failureOf(sut.ping());

      expect(error).toBeInstanceOf(DirectoryUnavailableError);
      expect(messages).toContain(
        "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list",
      );
      await expect(bindsSince(misnamed, since)).resolves.toEqual([]);
    });

    it.each([
      ['ldaps://', () => misnamed.ldapsUrl, false],
      ['StartTLS', () => misnamed.url, true],
    ])("a certificate that does not name the URL's host name, over %s", async (_how, url, startTls) => {
      const since = (await misnamed.logLines()).length;
      const sut = await directoryWith(url().replace('127.0.0.1', 'localhost'), { startTls, caCertificates: testCa });

      const { error, messages } = await failureOf(sut.ping());

      expect(error).toBeInstanceOf(DirectoryUnavailableError);
      expect(messages).toContain(
        "Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:ldap.example.com",
      );
      await expect(bindsSince(misnamed, since)).resolves.toEqual([]);
    });

    it('even when NODE_TLS_REJECT_UNAUTHORIZED=0 would turn verification off for clients that leave it to Node', async () => {
      const sut = await directoryWith(secured.url, { startTls: true, caCertificates: unrelatedCa });
      const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
      try {
        const { messages } = await failureOf(sut.ping());
        expect(messages).toContain('self-signed certificate in certificate chain');
      } finally {
        if (before === undefined) {
          delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
        } else {
          process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
        }
      }
    });
  });

  it('treats a server that refuses StartTLS as unavailable, and sends it no bind', async () => {
    const since = (await plain.logLines()).length;
    const sut = await directoryWith(plain.url, { startTls: true, caCertificates: testCa });

    for (const attempt of [sut.ping(), sut.checkMembership('tdurden', ['Loners'])]) {
      const { error, messages } = await failureOf(attempt);
      expect(error).toBeInstanceOf(DirectoryUnavailableError);
      expect(messages).toContain(`StartTLS with ${plain.url} failed: unsupported extended operation`);
    }
    const lines = (await plain.logLines()).slice(since);
    expect(lines.filter((line) => line.includes(START_TLS))).toHaveLength(2);
    expect(lines.filter((line) => / BIND /.test(line))).toEqual([]);
  });

  it('fails over past a server whose certificate fails, to one whose certificate holds, still over TLS', async () => {
    const since = (await secured.logLines()).length;
    const sut = await directoryWith(
      misnamed.url,
      { startTls: true, caCertificates: testCa },
      { urls: [misnamed.url, secured.url] },
    );

    await expect(sut.checkMembership('tdurden', ['Liposuction Technicians'])).resolves.toMatchObject({
      kind: 'member',
    });
    await expect(secured.operationsWithoutTls(since)).resolves.toEqual([]);
  });

  describe('when the server restarts under a StartTLS connection', () => {
    const settings = () => ({
      urls: [secured.url],
      timeoutMs: 500,
      connectTimeoutMs: 500,
      tls: { startTls: true, caCertificates: testCa },
    });

    it('rebuilds the connection through StartTLS and the bind: no bind and no search ever goes out in the clear', async () => {
      const sut = await directoryWith(secured.url, { startTls: true, caCertificates: testCa });
      await expect(sut.checkMembership('tdurden', ['Liposuction Technicians'])).resolves.toMatchObject({
        kind: 'member',
      });

      await secured.stop();
      await secured.restart();
      const since = (await secured.logLines()).length;

      const answers = await Promise.all(
        Array.from({ length: 20 }, () => sut.checkMembership('tdurden', ['Paper Street Soap Company'])),
      );

      expect(answers.map((answer) => answer.kind)).toEqual(Array(20).fill('member'));
      const lines = (await secured.logLines()).slice(since);
      // One new connection, shared by the burst: StartTLS first, then TLS, then the bind.
      const binds = lines.filter((line) => line.includes(` BIND dn="${DEMO.serviceDn}" method=128`));
      expect(binds).toHaveLength(1);
      const connection = / (conn=\d+) /.exec(binds[0])?.[1];
      const ofConnection = lines
        .filter((line) => line.includes(` ${connection} `))
        .map((line) => line.replace(/^\S+ \S+ /, ''));
      expect(ofConnection.findIndex((line) => line.includes(START_TLS))).toBeLessThan(
        ofConnection.findIndex((line) => / TLS established /.test(line)),
      );
      expect(ofConnection.findIndex((line) => / TLS established /.test(line))).toBeLessThan(
        ofConnection.findIndex((line) => line.includes(' BIND ')),
      );
      await expect(secured.operationsWithoutTls(since)).resolves.toEqual([]);
      expect(
        (await secured.operationsWithoutTls()).filter((line) => line.includes(` BIND dn="${DEMO.serviceDn}"`)),
      ).toEqual([]);
    });

    it('a StartTLS client never reconnects by itself: its next operation fails instead of going out in the clear', async () => {
      const client = await bindFirstReachable(settings(), DEMO.serviceDn, DEMO.servicePassword);
      try {
        const search = () => client.search(DEMO.baseDn, { scope: 'sub', filter: '(uid=tdurden)', attributes: ['1.1'] });
        await expect(search()).resolves.toMatchObject({ searchEntries: [expect.anything()] });

        await secured.stop();
        await secured.restart();
        const since = (await secured.logLines()).length;

        // ldapts still calls it bound; it is not.
        expect(client.isBound).toBe(true);
        expect(isStillBound(client)).toBe(false);
        // The first operation goes to the dead socket and times out, which makes ldapts want to reconnect for the
        // second: an anonymous connection without TLS would answer it with no entries.
        await expect(search()).rejects.toThrow();
        await expect(search()).rejects.toThrow('Not reconnecting');
        expect((await secured.logLines()).slice(since).filter((line) => / ACCEPT /.test(line))).toEqual([]);
      } finally {
        await unbindQuietly(client);
      }
    });
  });
});
