import { readFileSync } from 'node:fs';

/** One entry as a sequence of LDIF records leaves it: attribute names lower-cased, values in file order. */
export interface LdifEntry {
  readonly dn: string;
  readonly attributes: Map<string, string[]>;
}

interface Line {
  readonly attribute: string;
  readonly value: string;
}

/**
 * Applies the records of LDIF files (RFC 2849), in order, to an empty directory: content records, and change records
 * of type add and modify (add / delete / replace). Folded lines and base64 values are read; URL values are refused.
 * A deliberately small reader for the tests' own fixtures, so that an oracle can know them without the service.
 */
export function readLdifEntries(paths: readonly string[]): LdifEntry[] {
  const entries = new Map<string, LdifEntry>();
  for (const path of paths) {
    for (const record of recordsOf(readFileSync(path, 'utf8'))) {
      applyRecord(entries, record, path);
    }
  }
  return [...entries.values()];
}

function recordsOf(text: string): Line[][] {
  const records: Line[][] = [];
  let current: Line[] = [];
  for (const physical of unfold(text)) {
    if (physical === '') {
      if (current.length > 0) {
        records.push(current);
      }
      current = [];
    } else if (!physical.startsWith('#')) {
      current.push(parseLine(physical));
    }
  }
  if (current.length > 0) {
    records.push(current);
  }
  return records.filter((record) => !(record.length === 1 && record[0].attribute === 'version'));
}

/** RFC 2849: a line that begins with one space continues the previous one (comments fold the same way). */
function unfold(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith(' ') && lines.length > 0 && lines[lines.length - 1] !== '') {
      lines[lines.length - 1] += line.slice(1);
    } else {
      lines.push(line);
    }
  }
  return lines;
}

function parseLine(line: string): Line {
  if (line === '-') {
    return { attribute: '-', value: '' };
  }
  const colon = line.indexOf(':');
  if (colon <= 0) {
    throw new Error(`LDIF line without "attribute:": ${line}`);
  }
  const attribute = line.slice(0, colon).toLowerCase();
  const rest = line.slice(colon + 1);
  if (rest.startsWith(':')) {
    return { attribute, value: Buffer.from(rest.slice(1).trim(), 'base64').toString('utf8') };
  }
  if (rest.startsWith('<')) {
    throw new Error(`LDIF URL values are not supported: ${line}`);
  }
  // SAFE-STRING may not begin with a space, so the spaces after the colon are separators only.
  return { attribute, value: rest.replace(/^ +/, '') };
}

function applyRecord(entries: Map<string, LdifEntry>, record: Line[], path: string): void {
  const [first, ...rest] = record;
  if (first.attribute !== 'dn') {
    throw new Error(`${path}: a record must start with dn:, not ${first.attribute}:`);
  }
  const key = dnKey(first.value);
  let body = rest;
  let changeType = 'add';
  if (body[0]?.attribute === 'changetype') {
    changeType = body[0].value;
    body = body.slice(1);
  }
  if (changeType === 'add') {
    if (entries.has(key)) {
      throw new Error(`${path}: ${first.value} is added twice`);
    }
    const attributes = new Map<string, string[]>();
    for (const { attribute, value } of body) {
      attributes.set(attribute, [...(attributes.get(attribute) ?? []), value]);
    }
    entries.set(key, { dn: first.value, attributes });
  } else if (changeType === 'modify') {
    const entry = entries.get(key);
    if (!entry) {
      throw new Error(`${path}: ${first.value} is modified before it is added`);
    }
    applyModifications(entry, body);
  } else {
    throw new Error(`${path}: changetype ${changeType} is not supported`);
  }
}

function applyModifications(entry: LdifEntry, lines: Line[]): void {
  for (let index = 0; index < lines.length; index++) {
    const { attribute: operation, value: attribute } = lines[index];
    const values: string[] = [];
    for (index++; index < lines.length && lines[index].attribute !== '-'; index++) {
      values.push(lines[index].value);
    }
    const name = attribute.toLowerCase();
    const current = entry.attributes.get(name) ?? [];
    if (operation === 'add') {
      entry.attributes.set(name, [...current, ...values]);
    } else if (operation === 'replace') {
      entry.attributes.set(name, values);
    } else if (operation === 'delete') {
      entry.attributes.set(name, values.length === 0 ? [] : current.filter((value) => !values.includes(value)));
    } else {
      throw new Error(`modify operation ${operation} is not supported`);
    }
  }
}

/**
 * A comparable form of the fixtures' DNs (RFC 4514): escapes undone (`\,` and `\2C` alike), attribute types and
 * values lower-cased, spaces of values trimmed and collapsed. Enough to link the fixtures' member values to their
 * entries, which is all it is used for; values in BER hex (`#04…`) are refused.
 */
export function dnKey(dn: string): string {
  let key = dnKeys.get(dn);
  if (key === undefined) {
    key = comparableDn(dn);
    dnKeys.set(dn, key);
  }
  return key;
}

/** The fixtures hold a few hundred DNs, and an oracle asks for their keys again and again. */
const dnKeys = new Map<string, string>();

function comparableDn(dn: string): string {
  return splitUnescaped(dn, ',')
    .map((rdn) =>
      splitUnescaped(rdn, '+')
        .map((ava) => {
          const equals = ava.indexOf('=');
          if (equals <= 0) {
            throw new Error(`not a DN: ${dn}`);
          }
          const type = ava.slice(0, equals).trim().toLowerCase();
          const raw = ava.slice(equals + 1).trim();
          if (raw.startsWith('#')) {
            throw new Error(`BER-encoded DN values are not supported: ${dn}`);
          }
          return `${type}=${unescapeDnValue(raw).toLowerCase().replace(/ +/g, ' ').trim()}`;
        })
        .sort()
        .join('+'),
    )
    .join(',');
}

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '\\') {
      index++;
    } else if (text[index] === separator) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function unescapeDnValue(raw: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index];
    if (char === '\\') {
      const hex = raw.slice(index + 1, index + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        index += 2;
      } else {
        bytes.push(...Buffer.from(raw[index + 1] ?? '', 'utf8'));
        index++;
      }
    } else {
      const codePoint = raw.codePointAt(index) ?? 0;
      const whole = String.fromCodePoint(codePoint);
      bytes.push(...Buffer.from(whole, 'utf8'));
      index += whole.length - 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
