const UUID_SYNTAX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Only a value with UUID syntax is ever compared with ids. */
export function hasUuidSyntax(value: string): boolean {
  return UUID_SYNTAX.test(value);
}
