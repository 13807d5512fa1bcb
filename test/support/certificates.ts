import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A server certificate and its key, as slapd reads them: the file holds the certificate, then the CA's. */
export interface ServerCertificate {
  readonly certificateFile: string;
  readonly keyFile: string;
}

/** Certificates made for one test file by the openssl CLI, in a temporary folder. */
export interface TestCertificates {
  /** The CA that signed both server certificates. */
  readonly caFile: string;
  /** A CA that signed neither. */
  readonly unrelatedCaFile: string;
  /** For 127.0.0.1 and localhost. */
  readonly server: ServerCertificate;
  /** Signed by the same CA, for ldap.example.com only: wrong for a server reached as 127.0.0.1. */
  readonly misnamedServer: ServerCertificate;
  remove(): Promise<void>;
}

// P-256 keys: made in milliseconds, where RSA keys would cost the tests seconds. GnuTLS (Debian's slapd) reads the
// PKCS#8 PEM that openssl writes.
const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export async function makeTestCertificates(): Promise<TestCertificates> {
  const folder = await mkdtemp(join(tmpdir(), 'certificates-'));
  const at = (name: string) => join(folder, name);
  const openssl = (...args: string[]) => run('openssl', args, { cwd: folder, timeout: 30_000 });

  async function ca(name: string, subject: string): Promise<void> {
    await openssl(
      'req',
      '-x509',
      ...KEY,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-subj',
      subject,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  }

  async function server(name: string, altNames: string): Promise<ServerCertificate> {
    await writeFile(
      at(`${name}.ext`),
      [
        `subjectAltName=${altNames}`,
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
      ].join('\n'),
    );
    await openssl('req', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    await openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.leaf.pem`,
    );
    const chain = (await readFile(at(`${name}.leaf.pem`), 'utf8')) + (await readFile(at('ca.pem'), 'utf8'));
    await writeFile(at(`${name}.pem`), chain);
    return { certificateFile: at(`${name}.pem`), keyFile: at(`${name}.key`) };
  }

  await Promise.all([ca('ca', '/CN=security-api test CA'), ca('unrelated-ca', '/CN=some other CA')]);
  // One after the other: both update the CA's serial file.
  const good = await server('server', 'IP:127.0.0.1,DNS:localhost');
  const misnamed = await server('misnamed', 'DNS:ldap.example.com');
  return {
    caFile: at('ca.pem'),
    unrelatedCaFile: at('unrelated-ca.pem'),
    server: good,
    misnamedServer: misnamed,
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}
