import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** Why a PEM file of certificates cannot be used, as the start should say it. */
export class CertificateFileError extends Error {}

/**
 * The certificates of a PEM file, each parsed now: a damaged or misplaced file stops the start, rather than every
 * TLS handshake failing later with a message that does not name the file.
 */
export function readPemCertificates(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CertificateFileError(`cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (text.trim() === '') {
    throw new CertificateFileError('the file is empty');
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) {
    throw new CertificateFileError('holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  }
  certificates.forEach((certificate, index) => {
    try {
      new X509Certificate(certificate);
    } catch (error) {
      throw new CertificateFileError(`certificate ${index + 1} cannot be parsed: ${(error as Error).message}`);
    }
  });
  return certificates;
}
