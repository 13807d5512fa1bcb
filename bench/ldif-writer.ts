import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import {
  GeneratedDirectory,
  GeneratedEntry,
  GROUPS_DN,
  PEOPLE_DN,
  SERVICE_ACCOUNT,
  SERVICES_DN,
  SUFFIX,
} from './directory-generator';

/**
 * The directory as slapadd content records. slapadd runs no overlay, so memberOf is written here, consistent with
 * member, as the memberof overlay would have maintained it.
 */
export async function writeLdif(directory: GeneratedDirectory, path: string): Promise<void> {
  const records = [
    record(SUFFIX, ['objectClass: dcObject', 'objectClass: organization', 'dc: fightclub', 'o: Fight Club']),
    organizationalUnit(SERVICES_DN),
    record(SERVICE_ACCOUNT.dn, [
      'objectClass: applicationProcess',
      'objectClass: simpleSecurityObject',
      'cn: security-api',
      `userPassword: ${ssha(SERVICE_ACCOUNT.password, SERVICE_ACCOUNT.dn)}`,
    ]),
    organizationalUnit(PEOPLE_DN),
    organizationalUnit(GROUPS_DN),
  ];
  for (const user of [directory.administrator, ...directory.users]) {
    records.push(
      record(user.dn, [
        'objectClass: inetOrgPerson',
        `uid: ${user.uid}`,
        `mail: ${user.mail}`,
        `cn: ${user.uid}`,
        `sn: ${user.uid}`,
        ...(user.password === undefined ? [] : [`userPassword: ${ssha(user.password, user.dn)}`]),
        ...identity(user),
      ]),
    );
  }
  for (const group of [...directory.adminGroups, ...directory.groups]) {
    records.push(
      record(group.dn, [
        'objectClass: groupOfNames',
        `cn: ${group.name}`,
        ...group.members.map((member) => `member: ${member.dn}`),
        ...identity(group),
      ]),
    );
  }
  await writeFile(path, records.join(''));
}

/** ou=people,… gets the attribute "ou: people" that its name is made of. */
function organizationalUnit(dn: string): string {
  const [naming] = dn.split(',');
  return record(dn, ['objectClass: organizationalUnit', naming.replace('=', ': ')]);
}

function identity(entry: GeneratedEntry): string[] {
  return [`entryUUID: ${entry.id}`, ...entry.memberOf.map((group) => `memberOf: ${group.dn}`)];
}

function record(dn: string, lines: readonly string[]): string {
  return [`dn: ${dn}`, ...lines, '', ''].join('\n');
}

/** The salt comes from the DN rather than a random source, so that the same directory gives the same file. */
function ssha(password: string, dn: string): string {
  const salt = createHash('sha256').update(dn).digest().subarray(0, 8);
  const digest = createHash('sha1').update(password).update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}
