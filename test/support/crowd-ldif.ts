import { DEMO } from './slapd';

/** A group larger than one LDAP page (slapd answers 500 entries at most without paging), added on top of the demo. */
export interface Crowd {
  readonly ldif: string;
  readonly usernames: readonly string[];
  readonly teamNames: readonly string[];
}

export const CROWD_GROUP = 'Crowd';

/**
 * `count` users in ou=crowd, added in a scrambled order so that the directory's own order is not the listing's; every
 * ninth username starts with a capital; two users named "twin" in different branches tie on the username. The Crowd
 * group lists them all and `teams` child groups, each of which lists the first user.
 */
export function crowdLdif(count: number, teams: number): Crowd {
  const people = `ou=crowd,${DEMO.baseDn}`;
  const groups = `ou=groups,${DEMO.baseDn}`;
  const numbered = Array.from(
    { length: count },
    (_, i) => `${i % 9 === 0 ? 'Crowd' : 'crowd'}-${String(i).padStart(4, '0')}`,
  );
  // A multiplier coprime with count visits every index once, out of order.
  const scrambled = numbered.map((_, i) => numbered[(i * 7919) % count]);
  const userDns = scrambled.map((uid) => `uid=${uid},${people}`);
  const twins = [`uid=twin,${people}`, `uid=twin,ou=contractors,${DEMO.baseDn}`];
  const teamNames = Array.from({ length: teams }, (_, i) => `Crowd Team ${String(teams - i).padStart(2, '0')}`);
  const records = [
    `dn: ${people}\nchangetype: add\nobjectClass: organizationalUnit\nou: crowd`,
    ...[...userDns, ...twins].map((dn) => {
      const uid = dn.split(',')[0].slice('uid='.length);
      return `dn: ${dn}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\nmail: ${uid}.${dn.includes('contractors') ? 'c' : 'p'}@crowd.example`;
    }),
    ...teamNames.map(
      (name) =>
        `dn: cn=${name},${groups}\nchangetype: add\nobjectClass: groupOfNames\ncn: ${name}\nmember: ${userDns[0]}`,
    ),
    [
      `dn: cn=${CROWD_GROUP},${groups}`,
      'changetype: add',
      'objectClass: groupOfNames',
      `cn: ${CROWD_GROUP}`,
      ...[...userDns, ...twins, ...teamNames.map((name) => `cn=${name},${groups}`)].map((dn) => `member: ${dn}`),
    ].join('\n'),
  ];
  return { ldif: `${records.join('\n\n')}\n`, usernames: [...numbered, 'twin', 'twin'], teamNames };
}
