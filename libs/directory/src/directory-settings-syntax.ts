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

// Attribute and object class names go into filters as names, not values: only the RFC 4512 descr or numericoid
// forms pass, so nothing in them can be filter syntax.
const ATTRIBUTE_NAME = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)$/;

export function isAttributeName(value: unknown): boolean {
  return typeof value === 'string' && ATTRIBUTE_NAME.test(value);
}
