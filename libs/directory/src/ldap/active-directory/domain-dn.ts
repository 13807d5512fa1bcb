/**
 * The domain part of an Active Directory DN (`DC=corp,DC=example,DC=com` of `CN=Ann,OU=People,DC=corp,…`): its
 * naming context, where every account of that domain lives. Undefined for a DN that does not end in DC= names.
 */
export function domainOf(dn: string): string | undefined {
  return /(?:^|,)\s*(dc=[^,]+(?:\s*,\s*dc=[^,]+)*)\s*$/i.exec(dn)?.[1];
}
