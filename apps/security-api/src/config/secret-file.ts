import { readFileSync } from 'node:fs';

/**
 * A secret mounted as a file (container secrets): its content less one final line break, which `echo` and most
 * editors add and no one means as part of a password.
 */
export function readSecretFile(path: string): string {
  return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
}
