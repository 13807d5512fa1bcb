// What a directory setting must look like before the service starts; the rules are LDAP's, so they live here.

/** A server's address only: a DN, filter or credentials in the URL would be silently ignored by the client. */
export function isServerUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'ldap:' || url.protocol === 'ldaps:') &&
      url.hostname !== '' &&
      (url.pathname === '' || url.pathname === '/') &&
      url.search === '' &&
      url.hash === '' &&
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}

/** A comma-separated list of server URLs, tried in order. */
export function isServerUrlList(value: unknown): boolean {
  return typeof value === 'string' && value.split(',').every((url) => isServerUrl(url.trim()));
}

/**
 * Why TLS cannot be set up as asked for these URLs, if it cannot. A list that mixes ldaps:// and ldap:// would leave
 * TLS silently when it fails over, which is what a server with a bad certificate makes it do.
 */
export function transportSecurityConflict(urls: readonly string[], startTls: boolean): string | undefined {
  const overTls = urls.filter(isLdapsUrl).length;
  if (startTls && overTls > 0) {
    return 'StartTLS upgrades ldap:// connections; ldaps:// ones are TLS from the start: use one or the other';
  }
  if (overTls > 0 && overTls < urls.length) {
    return 'ldaps:// and ldap:// URLs are mixed, so failing over could leave TLS: use ldaps:// for all, or ldap:// with StartTLS';
  }
  return undefined;
}

/** Whether every connection to these URLs is encrypted. */
export function usesTls(urls: readonly string[], startTls: boolean): boolean {
  return startTls || urls.every(isLdapsUrl);
}

/** TLS from the first byte. */
export function isLdapsUrl(url: string): boolean {
  return url.trim().toLowerCase().startsWith('ldaps:');
}

// Attribute and object class names go into filters as names, not values: only the RFC 4512 descr or numericoid
// forms pass, so nothing in them can be filter syntax.
const ATTRIBUTE_NAME = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)$/;

export function isAttributeName(value: unknown): boolean {
  return typeof value === 'string' && ATTRIBUTE_NAME.test(value);
}
