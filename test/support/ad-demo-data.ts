import { Attribute, Change, Client } from 'ldapts';

/**
 * The Fight Club directory of test/ldap/demo.ldif as an Active Directory domain holds it, for a Samba DC
 * (test/support/samba-dc.ts). Where AD forces a difference, it is the smallest one:
 * - a sAMAccountName is unique in the domain, and Samba also refuses a userPrincipalName `x@fightclub.com` while
 *   another account's sAMAccountName is `x` (each implies the other). So the two bobs are `bob.employee` and
 *   `bob.contractor`, and the contractor's userPrincipalName is `bob@fightclub.com`, people/bob's mail: the
 *   identifier that names two users here;
 * - ids are the objectGUIDs the server makes, so the UUID lookalike's sAMAccountName is tdurden's, read after he is
 *   made;
 * - a sAMAccountName may not hold `,`, `*`, `\` and the like, so every group has a kebab-case one besides its cn;
 * - userPrincipalName is `<sAMAccountName>@fightclub.com`, but the user named angel@fightclub.com has none: Samba
 *   refuses a userPrincipalName with two `@`.
 * Only in AD: Night Shift (in Paper Street Soap Company) is nightworker's primary group, which AD then leaves out of
 * its member list; formeradmin is a disabled member of System Administrators; kiosk$ is a computer in Liposuction
 * Technicians.
 */
export const AD_DEMO = {
  realm: 'FIGHTCLUB.COM',
  netbiosDomain: 'FIGHTCLUB',
  baseDn: 'dc=fightclub,dc=com',
  upnSuffix: 'fightclub.com',
  /** Made by test/ad/samba-dc.sh when it provisions the domain. */
  administrator: 'Administrator@fightclub.com',
  administratorPassword: 'Paper-Street-1999',
  serviceDn: 'cn=security-api,ou=services,dc=fightclub,dc=com',
  serviceUpn: 'security-api@fightclub.com',
  servicePassword: 'service-secret',
} as const;

const BASE = AD_DEMO.baseDn;

const ORGANIZATIONAL_UNITS = [
  `ou=people,${BASE}`,
  `ou=contractors,${BASE}`,
  `ou=groups,${BASE}`,
  `ou=delaware,ou=groups,${BASE}`,
  `ou=seattle,ou=groups,${BASE}`,
  `ou=services,${BASE}`,
];

interface AdAccount {
  readonly cn: string;
  /** The DN's parent. */
  readonly parent: string;
  /** A string, or the user whose objectGUID it is (made before this one). */
  readonly sAMAccountName: string | { readonly idOf: string };
}

export interface AdUser extends AdAccount {
  readonly kind: 'user';
  readonly sn: string;
  readonly givenName?: string;
  readonly mail?: string;
  /** Absent: `<sAMAccountName>@fightclub.com`; null: none. */
  readonly userPrincipalName?: string | null;
  readonly password: string;
  readonly disabled?: true;
  readonly description?: string;
}

export interface AdComputer extends AdAccount {
  readonly kind: 'computer';
}

export interface AdGroup extends AdAccount {
  readonly kind: 'group';
  /** Keys of the direct members: users, computers or groups. */
  readonly members: readonly string[];
}

const PEOPLE = `ou=people,${BASE}`;
const GROUPS = `ou=groups,${BASE}`;

/** Users and computers in the order they are made. */
export const AD_ACCOUNTS = {
  securityApi: {
    kind: 'user',
    cn: 'security-api',
    parent: `ou=services,${BASE}`,
    sAMAccountName: 'security-api',
    sn: 'security-api',
    password: AD_DEMO.servicePassword,
    description: 'Service account of the security API (read-only)',
  },
  tdurden: {
    kind: 'user',
    cn: 'Tyler Durden',
    parent: PEOPLE,
    sAMAccountName: 'tdurden',
    sn: 'Durden',
    givenName: 'Tyler',
    mail: 't.durden@fightclub.com',
    password: 'soap-maker',
  },
  narrator: {
    kind: 'user',
    cn: 'The Narrator',
    parent: PEOPLE,
    sAMAccountName: 'narrator',
    sn: 'Narrator',
    mail: 'narrator@fightclub.com',
    password: 'insomnia',
  },
  msinger: {
    kind: 'user',
    cn: 'Marla Singer',
    parent: PEOPLE,
    sAMAccountName: 'msinger',
    sn: 'Singer',
    givenName: 'Marla',
    mail: 'm.singer@fightclub.com',
    password: 'support-groups',
  },
  rpaulson: {
    kind: 'user',
    cn: 'Robert Paulson',
    parent: PEOPLE,
    sAMAccountName: 'rpaulson',
    sn: 'Paulson',
    givenName: 'Robert',
    mail: 'r.paulson@fightclub.com',
    password: 'his-name-is',
  },
  sysadmin: {
    kind: 'user',
    cn: 'System Administrator',
    parent: PEOPLE,
    sAMAccountName: 'sysadmin',
    sn: 'Administrator',
    mail: 'sysadmin@fightclub.com',
    password: 'admin-secret',
  },
  opsadmin: {
    kind: 'user',
    cn: 'Operations Administrator',
    parent: PEOPLE,
    sAMAccountName: 'opsadmin',
    sn: 'Administrator',
    mail: 'ops.admin@fightclub.com',
    password: 'ops-secret',
  },
  angelface: {
    kind: 'user',
    cn: 'Angel Face',
    parent: PEOPLE,
    sAMAccountName: 'angelface',
    sn: 'Face',
    mail: 'angel@fightclub.com',
    password: 'angel-secret',
  },
  angelImpostor: {
    kind: 'user',
    cn: 'Angel Impostor',
    parent: PEOPLE,
    sAMAccountName: 'angel@fightclub.com',
    sn: 'Impostor',
    mail: 'impostor@fightclub.com',
    userPrincipalName: null,
    password: 'impostor-secret',
  },
  uuidLookalike: {
    kind: 'user',
    cn: 'UUID Lookalike',
    parent: PEOPLE,
    sAMAccountName: { idOf: 'tdurden' },
    sn: 'Lookalike',
    mail: 'lookalike@fightclub.com',
    password: 'lookalike-secret',
  },
  bob: {
    kind: 'user',
    cn: 'Bob Employee',
    parent: PEOPLE,
    sAMAccountName: 'bob.employee',
    sn: 'Employee',
    mail: 'bob@fightclub.com',
    password: 'bob-people',
  },
  bobContractor: {
    kind: 'user',
    cn: 'Bob Contractor',
    parent: `ou=contractors,${BASE}`,
    sAMAccountName: 'bob.contractor',
    sn: 'Contractor',
    mail: 'bob@contractors.fightclub.com',
    userPrincipalName: 'bob@fightclub.com',
    password: 'bob-contractor',
  },
  jurgen: {
    kind: 'user',
    cn: 'Jürgen Groß',
    parent: PEOPLE,
    sAMAccountName: 'jürgen',
    sn: 'Groß',
    mail: 'juergen@fightclub.com',
    password: 'jurgen-secret',
  },
  nightworker: {
    kind: 'user',
    cn: 'Night Worker',
    parent: PEOPLE,
    sAMAccountName: 'nightworker',
    sn: 'Worker',
    givenName: 'Night',
    mail: 'night.worker@fightclub.com',
    password: 'night-secret',
  },
  formeradmin: {
    kind: 'user',
    cn: 'Former Administrator',
    parent: PEOPLE,
    sAMAccountName: 'formeradmin',
    sn: 'Administrator',
    mail: 'former.admin@fightclub.com',
    password: 'former-secret',
    disabled: true,
  },
  kiosk: { kind: 'computer', cn: 'kiosk', parent: `cn=Computers,${BASE}`, sAMAccountName: 'kiosk$' },
} as const satisfies Record<string, AdUser | AdComputer>;

/** Groups, all global security groups; members are added once every group exists, so cycles need no second step. */
export const AD_GROUPS = {
  platformOperators: {
    kind: 'group',
    cn: 'Platform Operators',
    parent: GROUPS,
    sAMAccountName: 'platform-operators',
    members: ['opsadmin'],
  },
  systemAdministrators: {
    kind: 'group',
    cn: 'System Administrators',
    parent: GROUPS,
    sAMAccountName: 'system-administrators',
    members: ['sysadmin', 'platformOperators', 'formeradmin'],
  },
  liposuctionTechnicians: {
    kind: 'group',
    cn: 'Liposuction Technicians',
    parent: GROUPS,
    sAMAccountName: 'liposuction-technicians',
    members: ['tdurden', 'kiosk'],
  },
  lousTavernRegulars: {
    kind: 'group',
    cn: "Lou's Tavern Regulars",
    parent: GROUPS,
    sAMAccountName: 'lous-tavern-regulars',
    members: ['narrator', 'angelface'],
  },
  spaceMonkeys: {
    kind: 'group',
    cn: 'Space Monkeys',
    parent: GROUPS,
    sAMAccountName: 'space-monkeys',
    members: ['rpaulson'],
  },
  assaultCommittee: {
    kind: 'group',
    cn: 'Assault Committee',
    parent: GROUPS,
    sAMAccountName: 'assault-committee',
    members: ['spaceMonkeys'],
  },
  mischiefCommittee: {
    kind: 'group',
    cn: 'Mischief Committee',
    parent: GROUPS,
    sAMAccountName: 'mischief-committee',
    members: ['assaultCommittee'],
  },
  arsonCommittee: {
    kind: 'group',
    cn: 'Arson Committee',
    parent: GROUPS,
    sAMAccountName: 'arson-committee',
    members: ['mischiefCommittee'],
  },
  fightClub: {
    kind: 'group',
    cn: 'Fight Club',
    parent: GROUPS,
    sAMAccountName: 'fight-club',
    members: ['narrator', 'projectMayhem'],
  },
  projectMayhem: {
    kind: 'group',
    cn: 'Project Mayhem',
    parent: GROUPS,
    sAMAccountName: 'project-mayhem',
    members: ['arsonCommittee', 'fightClub'],
  },
  paperStreetSoapCompany: {
    kind: 'group',
    cn: 'Paper Street Soap Company',
    parent: GROUPS,
    sAMAccountName: 'paper-street-soap-company',
    members: ['liposuctionTechnicians', 'projectMayhem', 'nightShift'],
  },
  supportGroupDelaware: {
    kind: 'group',
    cn: 'Support Group',
    parent: `ou=delaware,${GROUPS}`,
    sAMAccountName: 'support-group-delaware',
    members: ['msinger'],
  },
  supportGroupSeattle: {
    kind: 'group',
    cn: 'Support Group',
    parent: `ou=seattle,${GROUPS}`,
    sAMAccountName: 'support-group-seattle',
    members: ['msinger'],
  },
  smithJones: {
    kind: 'group',
    cn: 'Smith, Jones',
    parent: GROUPS,
    sAMAccountName: 'smith-jones',
    members: ['tdurden'],
  },
  wildcardsParens: {
    kind: 'group',
    cn: 'Wildcards (*) & Parens',
    parent: GROUPS,
    sAMAccountName: 'wildcards-parens',
    members: ['narrator'],
  },
  backSlashTeam: {
    kind: 'group',
    cn: 'Back\\Slash Team',
    parent: GROUPS,
    sAMAccountName: 'back-slash-team',
    members: ['narrator'],
  },
  cafeSociete: {
    kind: 'group',
    cn: 'Café Société',
    parent: GROUPS,
    sAMAccountName: 'cafe-societe',
    members: ['tdurden'],
  },
  loners: { kind: 'group', cn: 'Loners', parent: GROUPS, sAMAccountName: 'loners', members: ['msinger'] },
  nightShift: {
    kind: 'group',
    cn: 'Night Shift',
    parent: GROUPS,
    sAMAccountName: 'night-shift',
    members: ['nightworker'],
  },
} as const satisfies Record<string, AdGroup>;

export type AdDemoKey = keyof typeof AD_ACCOUNTS | keyof typeof AD_GROUPS;

/** The primary group that AD keeps out of the group's member list. */
const PRIMARY_GROUPS: ReadonlyArray<{ readonly user: AdDemoKey; readonly group: AdDemoKey }> = [
  { user: 'nightworker', group: 'nightShift' },
];

/** What populating made: per key, the objectGUID as Samba prints it, the DN as the server spells it, the name. */
export interface AdDemoEntries {
  readonly ids: Readonly<Record<AdDemoKey, string>>;
  readonly dns: Readonly<Record<AdDemoKey, string>>;
  readonly samAccountNames: Readonly<Record<AdDemoKey, string>>;
}

/**
 * objectGUID's 16 bytes as AD and Samba's tools print them: the first three fields are little-endian numbers, the
 * last eight bytes are written in order.
 */
export function objectGuidText(bytes: Buffer): string {
  if (bytes.length !== 16) {
    throw new Error(`an objectGUID has 16 bytes, not ${bytes.length}`);
  }
  return [
    bytes.readUInt32LE(0).toString(16).padStart(8, '0'),
    bytes.readUInt16LE(4).toString(16).padStart(4, '0'),
    bytes.readUInt16LE(6).toString(16).padStart(4, '0'),
    bytes.subarray(8, 10).toString('hex'),
    bytes.subarray(10).toString('hex'),
  ].join('-');
}

/** An attribute value as it must be written in a DN (RFC 4514). */
export function dnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (character) => `\\${character}`)
    .replace(/^[ #]/, (character) => `\\${character}`)
    .replace(/ $/, '\\ ');
}

/** AD takes a password only as unicodePwd: the password in double quotes, UTF-16LE. */
export function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

const NORMAL_ACCOUNT = 0x200;
const ACCOUNT_DISABLE = 0x2;
const WORKSTATION_TRUST_ACCOUNT = 0x1000;

/** Writes the demo into an empty domain, as Administrator (over TLS: AD takes passwords on no other connection). */
export async function populateAdDemo(client: Client): Promise<AdDemoEntries> {
  const ids: Partial<Record<AdDemoKey, string>> = {};
  const dns: Partial<Record<AdDemoKey, string>> = {};
  const samAccountNames: Partial<Record<AdDemoKey, string>> = {};

  async function made(key: AdDemoKey, dn: string, sAMAccountName: string): Promise<void> {
    const { searchEntries } = await client.search(dn, {
      scope: 'base',
      attributes: ['objectGUID'],
      // Else ldapts returns a GUID whose bytes happen to be valid UTF-8 as a string.
      explicitBufferAttributes: ['objectGUID'],
    });
    ids[key] = objectGuidText(searchEntries[0].objectGUID as Buffer);
    dns[key] = searchEntries[0].dn;
    samAccountNames[key] = sAMAccountName;
  }

  function dnOf(key: string): string {
    const dn = dns[key as AdDemoKey];
    if (!dn) {
      throw new Error(`no demo entry ${key} has been made`);
    }
    return dn;
  }

  function nameOf(account: AdAccount): string {
    if (typeof account.sAMAccountName === 'string') {
      return account.sAMAccountName;
    }
    const id = ids[account.sAMAccountName.idOf as AdDemoKey];
    if (!id) {
      throw new Error(`${account.cn}'s sAMAccountName is ${account.sAMAccountName.idOf}'s id, which is not made yet`);
    }
    return id;
  }

  for (const ou of ORGANIZATIONAL_UNITS) {
    await client.add(ou, { objectClass: ['top', 'organizationalUnit'], ou: /^ou=([^,]+)/.exec(ou)![1] });
  }

  for (const [key, account] of Object.entries(AD_ACCOUNTS) as Array<[AdDemoKey, AdUser | AdComputer]>) {
    const dn = `cn=${dnValue(account.cn)},${account.parent}`;
    const sAMAccountName = nameOf(account);
    const attributes = [
      new Attribute({ type: 'cn', values: [account.cn] }),
      new Attribute({ type: 'sAMAccountName', values: [sAMAccountName] }),
    ];
    if (account.kind === 'computer') {
      attributes.push(
        new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user', 'computer'] }),
        new Attribute({ type: 'userAccountControl', values: [String(WORKSTATION_TRUST_ACCOUNT)] }),
      );
    } else {
      const userPrincipalName =
        account.userPrincipalName === undefined ? `${sAMAccountName}@${AD_DEMO.upnSuffix}` : account.userPrincipalName;
      const optional: Record<string, string | null | undefined> = {
        givenName: account.givenName,
        mail: account.mail,
        userPrincipalName,
        description: account.description,
      };
      attributes.push(
        new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
        new Attribute({ type: 'sn', values: [account.sn] }),
        new Attribute({ type: 'unicodePwd', values: [unicodePwd(account.password)] }),
        new Attribute({
          type: 'userAccountControl',
          values: [String(NORMAL_ACCOUNT | (account.disabled ? ACCOUNT_DISABLE : 0))],
        }),
        ...Object.entries(optional)
          .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
          .map(([type, value]) => new Attribute({ type, values: [value] })),
      );
    }
    await client.add(dn, attributes);
    await made(key, dn, sAMAccountName);
  }

  const groups = Object.entries(AD_GROUPS) as Array<[AdDemoKey, AdGroup]>;
  for (const [key, group] of groups) {
    const dn = `cn=${dnValue(group.cn)},${group.parent}`;
    // groupType left out: a global security group, AD's default.
    await client.add(dn, { objectClass: ['top', 'group'], cn: group.cn, sAMAccountName: nameOf(group) });
    await made(key, dn, nameOf(group));
  }
  for (const [key, group] of groups) {
    const members = new Attribute({ type: 'member', values: group.members.map(dnOf) });
    await client.modify(dnOf(key), new Change({ operation: 'add', modification: members }));
  }

  // AD takes a primary group only among the user's groups, and then drops the user from that group's member list.
  for (const { user, group } of PRIMARY_GROUPS) {
    const { searchEntries } = await client.search(dnOf(group), { scope: 'base', attributes: ['primaryGroupToken'] });
    const rid = new Attribute({ type: 'primaryGroupID', values: [String(searchEntries[0].primaryGroupToken)] });
    await client.modify(dnOf(user), new Change({ operation: 'replace', modification: rid }));
    const after = await client.search(dnOf(group), { scope: 'base', attributes: ['member'] });
    const members = [after.searchEntries[0].member ?? []].flat().map((member) => String(member).toLowerCase());
    if (members.includes(dnOf(user).toLowerCase())) {
      throw new Error(`${dnOf(group)} still lists ${dnOf(user)} as a member after it became the primary group`);
    }
  }

  return {
    ids: ids as Record<AdDemoKey, string>,
    dns: dns as Record<AdDemoKey, string>,
    samAccountNames: samAccountNames as Record<AdDemoKey, string>,
  };
}
