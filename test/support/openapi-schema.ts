/** The OpenAPI 3.0 schema keywords the service's document uses; any other keyword fails loudly rather than passing. */
const KNOWN_KEYWORDS = new Set([
  '$ref',
  'allOf',
  'type',
  'nullable',
  'enum',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'maxItems',
  'minLength',
  'minimum',
  'maximum',
  'format',
  'description',
  'example',
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Schema = Record<string, unknown>;

/**
 * Where a value breaks a schema of an OpenAPI document (refs resolved in it), as "path: problem" lines; empty when
 * the value conforms.
 */
export function schemaViolations(value: unknown, schema: Schema, document: Schema, at = '$'): string[] {
  const unknown = Object.keys(schema).filter((keyword) => !KNOWN_KEYWORDS.has(keyword));
  if (unknown.length > 0) {
    throw new Error(`${at}: the test's schema check does not know ${unknown.join(', ')}`);
  }
  if (typeof schema.$ref === 'string') {
    return schemaViolations(value, resolve(schema.$ref, document), document, at);
  }
  const problems = ((schema.allOf as Schema[] | undefined) ?? []).flatMap((part) =>
    schemaViolations(value, part, document, at),
  );
  if (value === null) {
    return schema.nullable === true || schema.type === undefined ? problems : [...problems, `${at}: null`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (
    schema.type !== undefined &&
    typeOf(value) !== schema.type &&
    !(schema.type === 'number' && typeOf(value) === 'integer')
  ) {
    return [...problems, `${at}: ${typeOf(value)}, not ${JSON.stringify(schema.type)}`];
  }
  if (schema.format === 'uuid' && !(typeof value === 'string' && UUID.test(value))) {
    problems.push(`${at}: not a UUID`);
  }
  if (typeof schema.minLength === 'number' && typeof value === 'string' && [...value].length < schema.minLength) {
    problems.push(`${at}: shorter than ${schema.minLength}`);
  }
  if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum) {
    problems.push(`${at}: below ${schema.minimum}`);
  }
  if (typeof schema.maximum === 'number' && typeof value === 'number' && value > schema.maximum) {
    problems.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      problems.push(`${at}: more than ${schema.maxItems} items`);
    }
    const items = schema.items as Schema | undefined;
    value.forEach(
      (item, index) => items && problems.push(...schemaViolations(item, items, document, `${at}[${index}]`)),
    );
  } else if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const name of (schema.required as string[] | undefined) ?? []) {
      if (!(name in record)) {
        problems.push(`${at}.${name}: missing`);
      }
    }
    for (const [name, property] of Object.entries(record)) {
      const propertySchema: unknown = properties[name] ?? schema.additionalProperties;
      if (propertySchema === false) {
        problems.push(`${at}.${name}: not allowed`);
      } else if (typeof propertySchema === 'object' && propertySchema !== null) {
        problems.push(...schemaViolations(property, propertySchema as Schema, document, `${at}.${name}`));
      }
    }
  }
  return problems;
}

function resolve(ref: string, document: Schema): Schema {
  if (!ref.startsWith('#/')) {
    throw new Error(`only local refs: ${ref}`);
  }
  const target = ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
  if (typeof target !== 'object' || target === null) {
    throw new Error(`unresolved ref ${ref}`);
  }
  return target as Schema;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) {
    return 'array';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'integer' : 'number';
  }
  return typeof value;
}
