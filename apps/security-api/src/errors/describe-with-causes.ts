import { inspect } from 'node:util';

/** An error and its chain of causes, for the log only: this is where the LDAP detail goes, never to a client. */
export function describeWithCauses(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    // Something thrown that is not an Error (a plain object, say) is shown as it is, not as "[object Object]".
    parts.push(current instanceof Error ? (current.stack ?? current.message) : inspect(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\nCaused by: ');
}
