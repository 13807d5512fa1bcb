import fc from 'fast-check';
import { MembershipOracle, OracleGroup, OracleUser } from './membership-oracle';

/** One membership check as it goes on the wire: the path segments exactly as sent, still percent-encoded. */
export interface CheckCase {
  readonly method: 'HEAD' | 'GET';
  readonly rawUser: string;
  readonly rawGroups: string;
}

/** What a segment keeps unencoded in the "minimal" style: RFC 3986 pchar without "%" (and "," in a group list). */
const PATH_SAFE = /[A-Za-z0-9\-._~!$&'()*+;=:@]/;
/** What a careless client may leave unencoded, RFC 3986 or not: any printable ASCII but "%", "/", "?" and "#". */
const PRINTABLE_ASCII = /[\x21-\x7e]/;

const INJECTIONS = [
  '*',
  '**',
  '*)(uid=*',
  ')(|(uid=*',
  'tdurden)(|(uid=*))',
  '*)(objectClass=*',
  '(&)',
  '(|)',
  '\\2a',
  '\\00',
  '\\',
  '\\\\',
  '(',
  ')',
  '=',
  '+',
  '#',
  '.',
  '..',
  ' ',
  '   ',
  '%',
  '%25',
  '%2525',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'cn=*',
  'objectClass=*',
  'uid=*,ou=people,dc=fightclub,dc=com',
  '\u00a0tdurden',
  '\ufefftdurden',
  'tdurden\u200b',
  'ｔｄｕｒｄｅｎ',
  'Ｓｍｉｔｈ, Ｊｏｎｅｓ',
  'TDURDEN\u0000',
  '\u0000',
];

const INVALID_ENCODINGS = [
  '%',
  '%2',
  '%G0',
  '%zz',
  '%%',
  '%2%41',
  '%E9',
  '%FF',
  '%C3',
  '%C3%28',
  '%E2%82',
  '%C0%AF',
  '%ED%A0%80',
  '%F4%90%80%80',
  '%F8%88%80%80%80',
];

/** Valid encodings of control characters (the Unicode category Cc: C0, DEL, C1). */
const CONTROL_ENCODINGS = ['%00', '%01', '%09', '%0A', '%0D', '%1F', '%7F', '%C2%80', '%C2%85', '%C2%9F'];

const METACHARACTERS = [...'*()\\,=+#<>;"\'%/ ?&:@!$[]{}|^~`.', 'a', 'B', 'z', '0', 'é', 'ß', '\u0000', '\u00a0'];

type Style = 'component' | 'minimal' | 'minimal-lower-hex' | 'every-byte' | 'lenient';

function percentEncoded(char: string, lowerHex: boolean): string {
  const hex = [...Buffer.from(char, 'utf8')]
    .map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`)
    .join('');
  return lowerHex ? hex.toLowerCase() : hex;
}

/** A decoded value as a path segment, in one of several correct encodings. */
export function encode(value: string, style: Style, inGroupList: boolean): string {
  if (style === 'component') {
    return encodeURIComponent(value);
  }
  const kept = style === 'lenient' ? PRINTABLE_ASCII : PATH_SAFE;
  return [...value]
    .map((char) => {
      // In the group list a raw "," separates items; in the user segment it is an ordinary character.
      const keep = style !== 'every-byte' && !'%/?#'.includes(char) && (char === ',' ? !inGroupList : kept.test(char));
      return keep ? char : percentEncoded(char, style === 'minimal-lower-hex');
    })
    .join('');
}

/** Values a path can carry: well-formed UTF-16 (no lone surrogate, which no UTF-8 encodes). */
function encodable(value: string): boolean {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}

const scrambledCase = (values: fc.Arbitrary<string>) =>
  fc
    .tuple(values, fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }))
    .map(([value, flips]) =>
      [...value].map((char, index) => (flips[index % flips.length] ? char.toUpperCase() : char.toLowerCase())).join(''),
    );

const spaced = (values: fc.Arbitrary<string>) =>
  fc
    .tuple(values, fc.constantFrom('leading', 'trailing', 'both', 'doubled'))
    .map(([value, where]) =>
      where === 'leading'
        ? ` ${value}`
        : where === 'trailing'
          ? `${value}  `
          : where === 'both'
            ? `  ${value} `
            : value.replace(/ /g, '  '),
    );

/** Existing identifiers as the directory holds them, and as its matching rules should still find them. */
function existingVariants(values: readonly string[]): fc.Arbitrary<string> {
  // Distinct, or a value that many entries share (an email, say) would crowd out the others.
  const exact = fc.constantFrom(...new Set(values));
  return fc.oneof(
    { arbitrary: exact, weight: 6 },
    { arbitrary: scrambledCase(exact), weight: 2 },
    { arbitrary: spaced(exact), weight: 2 },
    { arbitrary: exact.map((value) => value.toUpperCase()), weight: 1 },
  );
}

function hostileValues(oracle: MembershipOracle): fc.Arbitrary<string> {
  const ids = [...oracle.users.map((user) => user.id), ...oracle.groups.map((group) => group.id)];
  const names = [...oracle.users.flatMap((user) => user.usernames), ...oracle.groups.flatMap((group) => group.names)];
  const dns = [...oracle.users, ...oracle.groups].map((entry) => entry.dn);
  const metacharacters = fc.string({ unit: fc.constantFrom(...METACHARACTERS), minLength: 1, maxLength: 20 });
  const longRepeat = fc
    .tuple(fc.constantFrom('a', 'é', '日', '😀', 'Ab ', '*', '%'), fc.integer({ min: 250, max: 262 }))
    .map(([unit, length]) => [...unit.repeat(length)].slice(0, length).join(''));
  return fc.oneof(
    fc.constantFrom(...INJECTIONS),
    metacharacters,
    fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    fc.constantFrom(...dns),
    fc.constantFrom(...dns).map((dn) => dn.toUpperCase().replace(/,/g, ', ')),
    fc.uuid(),
    fc.uuid().map((uuid) => uuid.toUpperCase()),
    fc.constantFrom(...ids).map((id) => `{${id}}`),
    fc.constantFrom(...ids).map((id) => id.replace(/-/g, '')),
    fc
      .tuple(fc.constantFrom(...ids), fc.nat(35), fc.constantFrom('0', 'f', 'g', '-', ' '))
      .map(([id, at, char]) => id.slice(0, at) + char + id.slice(at + 1)),
    longRepeat,
    fc.tuple(fc.constantFrom(...names), metacharacters).map(([name, affix]) => `${name}${affix}`),
    fc.tuple(fc.constantFrom(...names), metacharacters).map(([name, affix]) => `${affix}${name}`),
  );
}

const styles = fc.constantFrom<Style>(
  'component',
  'component',
  'minimal',
  'minimal-lower-hex',
  'every-byte',
  'lenient',
);

/** A raw segment that must be refused: bad percent-encoding or UTF-8, or a control character, inside a value. */
function brokenSegment(values: fc.Arbitrary<string>, inGroupList: boolean): fc.Arbitrary<string> {
  return fc
    .tuple(values, styles, fc.constantFrom(...INVALID_ENCODINGS, ...CONTROL_ENCODINGS), fc.nat(1000))
    .map(([value, style, broken, at]) => {
      const raw = encode(value, style, inGroupList);
      const position = at % (raw.length + 1);
      return raw.slice(0, position) + broken + raw.slice(position);
    });
}

function segment(values: fc.Arbitrary<string>, inGroupList: boolean): fc.Arbitrary<string> {
  return fc.tuple(values.filter(encodable), styles).map(([value, style]) => encode(value, style, inGroupList));
}

/** Checks that mix identifiers of the fixture (so that members and non-members are both asked) with hostile ones. */
export function checkCases(oracle: MembershipOracle): fc.Arbitrary<CheckCase> {
  const hostile = hostileValues(oracle);
  const userValues = fc.oneof(
    {
      arbitrary: existingVariants(oracle.users.flatMap((user) => [user.id, ...user.usernames, ...user.emails])),
      weight: 6,
    },
    { arbitrary: hostile, weight: 3 },
  );
  const groupValues = fc.oneof(
    { arbitrary: existingVariants(oracle.groups.flatMap((group) => [group.id, ...group.names])), weight: 6 },
    { arbitrary: hostile, weight: 3 },
  );
  const rawUser = fc.oneof(
    { arbitrary: segment(userValues, false), weight: 30 },
    { arbitrary: brokenSegment(userValues, false), weight: 1 },
    { arbitrary: fc.constant(''), weight: 1 },
  );
  const item = fc.oneof(
    { arbitrary: segment(groupValues, true), weight: 120 },
    { arbitrary: brokenSegment(groupValues, true), weight: 1 },
    { arbitrary: fc.constant(''), weight: 1 },
  );
  const items = fc.array(item, { minLength: 1, maxLength: 12 });
  const rawGroups = fc.oneof(
    // A path with no group list at all is the list of the user's groups (GET users/{user}/groups), not a check.
    { arbitrary: items.map((listed) => listed.join(',')).filter((list) => list !== ''), weight: 120 },
    // Around MAX_GROUPS_PER_CHECK (100), from a few names, so that a list just under the cap stays cheap to check.
    {
      arbitrary: fc
        .tuple(fc.array(segment(groupValues, true), { minLength: 1, maxLength: 3 }), fc.integer({ min: 98, max: 102 }))
        .map(([names, count]) => Array.from({ length: count }, (_, index) => names[index % names.length]).join(',')),
      weight: 1,
    },
    // The longest requests: about MAX_GROUPS_PER_CHECK distinct names of 256 characters of 3 or 4 UTF-8 bytes each.
    {
      arbitrary: fc
        .tuple(fc.constantFrom('😀', '𝔘', '日'), fc.integer({ min: 99, max: 101 }), fc.nat(1000))
        .map(([char, count, salt]) =>
          Array.from({ length: count }, (_, index) =>
            encodeURIComponent(`${char.repeat(248)}${String(salt * 1000 + index).padStart(8, '0')}`),
          ).join(','),
        ),
      weight: 1,
    },
  );
  const method = fc.constantFrom<'HEAD' | 'GET'>('HEAD', 'GET');
  // A user and a group the user is in, at any depth, among other listed groups: so that members are asked.
  const memberships = oracle.users.flatMap((user) =>
    [...oracle.depthsOf(user).keys()].map((group) => ({ user, group })),
  );
  // And pairs on either side of the depth cap, which a uniform choice among all memberships would rarely pick.
  const cap = oracle.maxNestingDepth;
  const nearTheCap = oracle.users.flatMap((user) =>
    [...oracle.depthsOf(user, cap + 2)].flatMap(([group, depth]) => (depth >= cap - 1 ? [{ user, group }] : [])),
  );
  const checksOf = (pairs: readonly { user: OracleUser; group: OracleGroup }[]) =>
    fc.constantFrom(...pairs).chain(({ user, group }) =>
      fc.record({
        method,
        rawUser: segment(existingVariants([user.id, ...user.usernames, ...user.emails]), false),
        rawGroups: fc
          .tuple(
            segment(existingVariants([group.id, ...group.names]), true),
            fc.array(item, { maxLength: 8 }),
            fc.nat(),
          )
          .map(([listed, others, at]) => {
            const position = at % (others.length + 1);
            return [...others.slice(0, position), listed, ...others.slice(position)].join(',');
          }),
      }),
    );
  return fc.oneof(
    { arbitrary: checksOf(memberships), weight: 8 },
    { arbitrary: checksOf(nearTheCap), weight: 1 },
    { arbitrary: fc.record({ method, rawUser, rawGroups }), weight: 12 },
  );
}

/** An Authorization header, with the login and password it was made of when it was made of any. */
export interface CallerCase {
  readonly header: string | undefined;
  readonly credentials?: string;
}

const MALFORMED_AUTHORIZATIONS = [
  '',
  'Basic',
  'Basic ',
  'Bearer c3lzYWRtaW46YWRtaW4tc2VjcmV0',
  'Digest username="sysadmin"',
  'Basic !!!!',
  'Basic c3lzYWRtaW46YWRtaW4tc2VjcmV0===',
  `Basic ${Buffer.from([0x73, 0xff, 0x3a, 0x73]).toString('base64')}`,
  `Basic ${Buffer.from('sysadmin').toString('base64')}`,
  `Basic ${Buffer.from(':admin-secret').toString('base64')}`,
  `Basic ${Buffer.from('sysadmin:').toString('base64')}`,
  `Basic ${Buffer.from('sys\u0000admin:admin-secret').toString('base64')}`,
];

/**
 * Callers: logins of the fixture (also in other case and spacing) with their own, another's or a hostile password,
 * hostile logins, and headers that are no Basic credentials at all.
 */
export function callerCases(
  oracle: MembershipOracle,
  passwordsByUsername: Readonly<Record<string, string>>,
): fc.Arbitrary<CallerCase> {
  const passwords = Object.values(passwordsByUsername);
  const logins = [...new Set(oracle.users.flatMap((user) => [...user.usernames, ...user.emails]))];
  // A login with its own password, half the time: so that callers get past the bind, admins and others alike.
  const ownLogins = oracle.users.flatMap((user) => {
    const own = passwordsByUsername[user.usernames[0]];
    return own === undefined ? [] : [...user.usernames, ...user.emails].map((name) => ({ name, own }));
  });
  const login = fc.oneof(
    { arbitrary: existingVariants(logins), weight: 4 },
    { arbitrary: hostileValues(oracle), weight: 2 },
  );
  const password = fc.oneof(
    { arbitrary: fc.constantFrom(...passwords), weight: 4 },
    { arbitrary: fc.constantFrom(...passwords).map((known) => known.toUpperCase()), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), weight: 1 },
    { arbitrary: fc.constantFrom(':', 'a:b', ' ', 'x'.repeat(1025)), weight: 1 },
  );
  const scheme = fc.constantFrom('Basic ', 'basic ', 'BASIC ', 'Basic   ');
  const ownPair = fc
    .constantFrom(...ownLogins)
    .chain(({ name, own }) => fc.tuple(existingVariants([name]), fc.constant(own)));
  const wellFormed = fc
    .tuple(scheme, fc.oneof(fc.tuple(login, password), ownPair))
    .map(([prefix, [user, secret]]) => [prefix, user, secret] as const)
    .filter(([, user, secret]) => encodable(user) && encodable(secret))
    .map(([prefix, user, secret]) => {
      const credentials = `${user}:${secret}`;
      return { header: `${prefix}${Buffer.from(credentials, 'utf8').toString('base64')}`, credentials };
    });
  const printable = fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
    maxLength: 40,
  });
  const malformed = fc
    .oneof(
      fc.constant(undefined),
      fc.constantFrom(...MALFORMED_AUTHORIZATIONS),
      printable.filter((header) => !/^basic +[A-Za-z0-9+/]/i.test(header)),
    )
    .map((header) => ({ header }));
  return fc.oneof({ arbitrary: wellFormed, weight: 6 }, { arbitrary: malformed, weight: 1 });
}
