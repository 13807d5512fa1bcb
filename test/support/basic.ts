/** An Authorization header with HTTP Basic credentials (RFC 7617), UTF-8 encoded. */
export function basic(login: string, password: string): string {
  return `Basic ${Buffer.from(`${login}:${password}`, 'utf8').toString('base64')}`;
}
