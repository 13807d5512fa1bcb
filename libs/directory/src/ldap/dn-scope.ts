/**
 * Whether an entry's DN is the base or below it. Compares the directory's own DNs (memberOf values, naming contexts,
 * configured bases) by case and spacing around separators only: close enough for those, and never applied to a
 * value a client sent.
 */
export function isAtOrBelow(dn: string, base: string): boolean {
  const entry = comparable(dn);
  const scope = comparable(base);
  return entry === scope || entry.endsWith(`,${scope}`);
}

function comparable(dn: string): string {
  return dn.toLowerCase().replace(/\s*([,=])\s*/g, '$1');
}
