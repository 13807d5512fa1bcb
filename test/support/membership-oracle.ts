import { dnKey, LdifEntry, readLdifEntries } from './ldif';

/**
 * What the membership check must answer for a fixture directory, worked out from the fixture's LDIF alone: no code
 * of the service, no LDAP. Its matching rules follow the schema's, and where emulating one exactly is not sensible
 * (Unicode normalisation and case folding), it says "undecidable" rather than guess.
 */

export type Match = 'match' | 'no-match' | 'undecidable';

export interface OracleUser {
  readonly dn: string;
  readonly id: string;
  readonly usernames: readonly string[];
  readonly emails: readonly string[];
}

export interface OracleGroup {
  readonly dn: string;
  readonly id: string;
  readonly names: readonly string[];
}

export type Lookup<T> =
  | { readonly kind: 'found'; readonly entry: T }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly T[] }
  | { readonly kind: 'undecidable'; readonly why: string };

export type InvalidProblem = 'EMPTY' | 'TOO_MANY' | 'TOO_LONG' | 'CONTROL_CHARACTER' | 'BAD_ENCODING';

export type Expectation =
  | { readonly status: 400; readonly problems: ReadonlySet<InvalidProblem> }
  | {
      readonly status: 'member';
      readonly user: OracleUser;
      /** The listed groups the user is in, nearest first, then in listed order: the first is the one to report. */
      readonly matches: readonly { readonly group: OracleGroup; readonly depth: number }[];
    }
  | { readonly status: 404; readonly reason: 'USER_NOT_FOUND' | 'GROUP_NOT_FOUND' | 'NOT_A_MEMBER' }
  | {
      readonly status: 409;
      readonly ambiguous: readonly { readonly identifier: string; readonly candidateIds: readonly string[] }[];
    }
  | { readonly status: 'undecidable'; readonly why: string };

export interface OracleSettings {
  readonly userObjectClass: string;
  readonly groupObjectClass: string;
  readonly userBaseDn: string;
  readonly groupBaseDn: string;
  readonly maxGroups: number;
  readonly maxIdentifierLength: number;
  readonly maxNestingDepth: number;
}

export class MembershipOracle {
  readonly users: readonly OracleUser[];
  readonly groups: readonly OracleGroup[];
  /** Member DN key → the groups that list it. */
  private readonly listedBy = new Map<string, OracleGroup[]>();

  constructor(
    entries: readonly LdifEntry[],
    private readonly settings: OracleSettings,
  ) {
    const ofClass = (entry: LdifEntry, objectClass: string) =>
      (entry.attributes.get('objectclass') ?? []).some((value) => value.toLowerCase() === objectClass.toLowerCase());
    const below = (entry: LdifEntry, base: string) => {
      const key = dnKey(entry.dn);
      const baseKey = dnKey(base);
      return key === baseKey || key.endsWith(`,${baseKey}`);
    };
    const single = (entry: LdifEntry, attribute: string): string => {
      const values = entry.attributes.get(attribute) ?? [];
      if (values.length !== 1) {
        throw new Error(`the oracle needs exactly one ${attribute} on ${entry.dn}, which has ${values.length}`);
      }
      return values[0];
    };
    this.users = entries
      .filter((entry) => ofClass(entry, settings.userObjectClass) && below(entry, settings.userBaseDn))
      .map((entry) => ({
        dn: entry.dn,
        id: single(entry, 'entryuuid'),
        usernames: entry.attributes.get('uid') ?? [],
        emails: entry.attributes.get('mail') ?? [],
      }));
    const groupEntries = entries.filter(
      (entry) => ofClass(entry, settings.groupObjectClass) && below(entry, settings.groupBaseDn),
    );
    this.groups = groupEntries.map((entry) => ({
      dn: entry.dn,
      id: single(entry, 'entryuuid'),
      names: entry.attributes.get('cn') ?? [],
    }));
    groupEntries.forEach((entry, index) => {
      for (const member of entry.attributes.get('member') ?? []) {
        const key = dnKey(member);
        this.listedBy.set(key, [...(this.listedBy.get(key) ?? []), this.groups[index]]);
      }
    });
  }

  static fromLdif(paths: readonly string[], settings: OracleSettings): MembershipOracle {
    return new MembershipOracle(readLdifEntries(paths), settings);
  }

  get maxNestingDepth(): number {
    return this.settings.maxNestingDepth;
  }

  /** The groups that list this entry directly. */
  groupsListing(dn: string): readonly OracleGroup[] {
    return this.listedBy.get(dnKey(dn)) ?? [];
  }

  /**
   * Every group the user is in, with the fewest levels between them (1: the group lists the user), up to the depth
   * cap (MAX_NESTING_DEPTH unless given): a breadth-first walk over `member`, which a cycle cannot keep going since each group is reached once.
   */
  depthsOf(user: OracleUser, maxDepth = this.settings.maxNestingDepth): Map<OracleGroup, number> {
    const depths = new Map<OracleGroup, number>();
    let frontier = [user.dn];
    for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const dn of frontier) {
        for (const group of this.groupsListing(dn)) {
          if (!depths.has(group)) {
            depths.set(group, depth);
            next.push(group.dn);
          }
        }
      }
      frontier = next;
    }
    return depths;
  }

  /** Precedence: id (only for a value with UUID syntax), then username, then email; a tie at one level is ambiguous. */
  findUser(value: string): Lookup<OracleUser> {
    const levels: ((user: OracleUser) => Match)[] = [
      ...(hasUuidSyntax(value) ? [(user: OracleUser) => uuidMatch(value, user.id)] : []),
      (user) => anyValue(user.usernames, (stored) => caseIgnoreMatch(value, stored)),
      (user) => anyValue(user.emails, (stored) => caseIgnoreIA5Match(value, stored)),
    ];
    for (const level of levels) {
      const outcome = lookupBy(this.users, level);
      if (outcome.kind !== 'not-found') {
        return outcome;
      }
    }
    return { kind: 'not-found' };
  }

  /** A login is a username or, failing that, an email: never an id. */
  findLogin(value: string): Lookup<OracleUser> {
    const byUsername = lookupBy(this.users, (user) =>
      anyValue(user.usernames, (stored) => caseIgnoreMatch(value, stored)),
    );
    return byUsername.kind === 'not-found'
      ? lookupBy(this.users, (user) => anyValue(user.emails, (stored) => caseIgnoreIA5Match(value, stored)))
      : byUsername;
  }

  /** An id match (only for a value with UUID syntax) wins; otherwise the name must match exactly one group. */
  findGroup(value: string): Lookup<OracleGroup> {
    if (hasUuidSyntax(value)) {
      const byId = this.groups.find((group) => uuidMatch(value, group.id) === 'match');
      if (byId) {
        return { kind: 'found', entry: byId };
      }
    }
    return lookupBy(this.groups, (group) => anyValue(group.names, (stored) => caseIgnoreMatch(value, stored)));
  }

  /** The answer to a check, from the raw (still percent-encoded) path segments exactly as they were sent. */
  expect(rawUser: string, rawGroups: string): Expectation {
    const items = rawGroups.split(',');
    const problems = new Set<InvalidProblem>();
    const user = this.decodeItem(rawUser, problems);
    if (items.length > this.settings.maxGroups) {
      problems.add('TOO_MANY');
    }
    const groupValues = items.map((item) => this.decodeItem(item, problems));
    if (problems.size > 0 || user === undefined) {
      return { status: 400, problems };
    }
    const distinct = [...new Set(groupValues as string[])];

    const foundUser = this.findUser(user);
    if (foundUser.kind === 'undecidable') {
      return { status: 'undecidable', why: `user ${JSON.stringify(user)}: ${foundUser.why}` };
    }
    if (foundUser.kind === 'not-found') {
      return { status: 404, reason: 'USER_NOT_FOUND' };
    }
    if (foundUser.kind === 'ambiguous') {
      return {
        status: 409,
        ambiguous: [{ identifier: user, candidateIds: foundUser.candidates.map((candidate) => candidate.id) }],
      };
    }
    const lookups = distinct.map((identifier) => ({ identifier, lookup: this.findGroup(identifier) }));
    const undecidable = lookups.find(({ lookup }) => lookup.kind === 'undecidable');
    if (undecidable) {
      return { status: 'undecidable', why: `group ${JSON.stringify(undecidable.identifier)}` };
    }
    const ambiguous = lookups.flatMap(({ identifier, lookup }) =>
      lookup.kind === 'ambiguous'
        ? [{ identifier, candidateIds: lookup.candidates.map((candidate) => candidate.id) }]
        : [],
    );
    if (ambiguous.length > 0) {
      return { status: 409, ambiguous };
    }
    const targets = [...new Set(lookups.flatMap(({ lookup }) => (lookup.kind === 'found' ? [lookup.entry] : [])))];
    if (targets.length === 0) {
      return { status: 404, reason: 'GROUP_NOT_FOUND' };
    }
    const depths = this.depthsOf(foundUser.entry);
    const matches = targets
      .filter((group) => depths.has(group))
      .map((group) => ({ group, depth: depths.get(group) ?? 0 }))
      .sort((a, b) => a.depth - b.depth);
    return matches.length > 0
      ? { status: 'member', user: foundUser.entry, matches }
      : { status: 404, reason: 'NOT_A_MEMBER' };
  }

  private decodeItem(raw: string, problems: Set<InvalidProblem>): string | undefined {
    if (raw === '') {
      problems.add('EMPTY');
      return undefined;
    }
    const value = percentDecode(raw);
    if (value === undefined) {
      problems.add('BAD_ENCODING');
      return undefined;
    }
    const codePoints = [...value].map((char) => char.codePointAt(0) ?? 0);
    // C0, DEL and C1: the Unicode general category Cc.
    if (codePoints.some((code) => code <= 0x1f || (code >= 0x7f && code <= 0x9f))) {
      problems.add('CONTROL_CHARACTER');
    }
    if (codePoints.length > this.settings.maxIdentifierLength) {
      problems.add('TOO_LONG');
    }
    return value;
  }
}

function lookupBy<T>(entries: readonly T[], matches: (entry: T) => Match): Lookup<T> {
  const outcomes = entries.map((entry) => ({ entry, match: matches(entry) }));
  if (outcomes.some(({ match }) => match === 'undecidable')) {
    return { kind: 'undecidable', why: 'a stored value may or may not match under Unicode normalisation' };
  }
  const found = outcomes.filter(({ match }) => match === 'match').map(({ entry }) => entry);
  if (found.length === 0) {
    return { kind: 'not-found' };
  }
  return found.length === 1 ? { kind: 'found', entry: found[0] } : { kind: 'ambiguous', candidates: found };
}

function anyValue(values: readonly string[], match: (stored: string) => Match): Match {
  const outcomes = values.map(match);
  return outcomes.includes('match') ? 'match' : outcomes.includes('undecidable') ? 'undecidable' : 'no-match';
}

/** RFC 3986 percent-decoding to bytes, then strict UTF-8 (a BOM is a character like any other). */
export function percentDecode(raw: string): string | undefined {
  const bytes: number[] = [];
  for (let index = 0; index < raw.length;) {
    if (raw[index] === '%') {
      const hex = raw.slice(index + 1, index + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        return undefined;
      }
      bytes.push(parseInt(hex, 16));
      index += 3;
    } else {
      const nextEscape = raw.indexOf('%', index);
      const literalEnd = nextEscape < 0 ? raw.length : nextEscape;
      bytes.push(...Buffer.from(raw.slice(index, literalEnd), 'utf8'));
      index = literalEnd;
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

const HEX = '0123456789abcdefABCDEF';

/** RFC 4122's string form: 8-4-4-4-12 hex digits. */
export function hasUuidSyntax(value: string): boolean {
  return (
    value.length === 36 &&
    [...value].every((char, index) => ([8, 13, 18, 23].includes(index) ? char === '-' : HEX.includes(char)))
  );
}

/** UUIDMatch (RFC 4530): the same 128 bits, whatever the case of the hex digits. */
export function uuidMatch(assertion: string, stored: string): Match {
  return hasUuidSyntax(assertion) && assertion.toLowerCase() === stored.toLowerCase() ? 'match' : 'no-match';
}

/**
 * caseIgnoreMatch (RFC 4517) with RFC 4518 preparation. Decided exactly when the two differ at most in ASCII case and
 * in insignificant spaces (leading, trailing, repeated U+0020), or when not even a coarse Unicode skeleton of them is
 * equal; anything in between depends on the server's normalisation tables: undecidable.
 */
export function caseIgnoreMatch(assertion: string, stored: string): Match {
  if (asciiFolded(assertion) === asciiFolded(stored)) {
    return 'match';
  }
  return skeleton(assertion) === skeleton(stored) ? 'undecidable' : 'no-match';
}

/** caseIgnoreIA5Match: IA5 (ASCII) only; an assertion outside IA5 is not a valid value and matches nothing. */
export function caseIgnoreIA5Match(assertion: string, stored: string): Match {
  if (/[^\x00-\x7f]/.test(assertion)) {
    return 'no-match';
  }
  return asciiFolded(assertion) === asciiFolded(stored) ? 'match' : 'no-match';
}

/** The same few stored values are compared with every assertion: each form is worked out once per string. */
function memoised(form: (value: string) => string): (value: string) => string {
  const known = new Map<string, string>();
  return (value) => {
    let result = known.get(value);
    if (result === undefined) {
      result = form(value);
      known.set(value, result);
    }
    return result;
  };
}

const asciiFolded = memoised((value) =>
  value
    .replace(/[A-Z]/g, (letter) => letter.toLowerCase())
    .replace(/ +/g, ' ')
    .replace(/^ | $/g, ''),
);

/** Deliberately coarser than any server's preparation: compatibility forms, marks, format characters, case, spaces. */
const skeleton = memoised((value) =>
  value
    .normalize('NFKD')
    .replace(/[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/gu, '')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\s\p{Z}]+/gu, ' ')
    .trim(),
);
