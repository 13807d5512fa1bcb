import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, InvalidCredentialsError, SearchOptions, StrongAuthRequiredError } from 'ldapts';
import { AD_ACCOUNTS, AD_DEMO, AD_GROUPS, AdDemoKey } from '@test/support/ad-demo-data';
import { SambaDc } from '@test/support/samba-dc';

const run = promisify(execFile);
const IN_CHAIN = '1.2.840.113556.1.4.1941';
// The first DC on a machine waits for the template to be provisioned.
const START_TIMEOUT_MS = 180_000;

/**
 * The Samba AD DC the tests start, and the directory facts an Active Directory backend will rely on, shown against
 * the real server rather than assumed.
 */
describe('Samba AD DC with the AD demo', () => {
  let dc: SambaDc;
  let ca: string;
  const groupsDn = `ou=groups,${AD_DEMO.baseDn}`;

  function clientFor(url: string): Client {
    // Only for ldaps://: ldapts given tlsOptions opens even an ldap:// connection with a TLS handshake, which port 389
    // answers by closing it (ECONNRESET) before StartTLS can be asked for.
    const tls = url.startsWith('ldaps://') ? { tlsOptions: { ca: [ca] } } : {};
    return new Client({ url, ...tls, timeout: 5000, connectTimeout: 2000 });
  }

  /** Runs `use` on a client bound over LDAPS as `login`, and always lets the connection go. */
  async function boundAs<T>(
    login: string,
    password: string,
    use: (client: Client) => Promise<T>,
    url = dc.ldapsUrl,
  ): Promise<T> {
    const client = clientFor(url);
    try {
      await client.bind(login, password);
      return await use(client);
    } finally {
      await client.unbind();
    }
  }

  async function search(base: string, options: SearchOptions) {
    return boundAs(AD_DEMO.serviceUpn, AD_DEMO.servicePassword, (client) => client.search(base, options));
  }

  async function cnsOfGroupsWithMemberInChain(memberDn: string): Promise<string[]> {
    const { searchEntries } = await search(groupsDn, {
      filter: `(member:${IN_CHAIN}:=${memberDn})`,
      attributes: ['cn'],
    });
    return searchEntries.map((entry) => String(entry.cn)).sort();
  }

  const values = (value: unknown): string[] => [value ?? []].flat().map(String);
  const lower = (dns: string[]): string[] => dns.map((dn) => dn.toLowerCase()).sort();

  beforeAll(async () => {
    dc = await SambaDc.start();
    ca = await readFile(dc.caFile, 'utf8');
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await dc?.destroy();
  });

  describe('the demo data', () => {
    it('holds every demo account and group under its name, at its DN', async () => {
      const keys = [...Object.keys(AD_ACCOUNTS), ...Object.keys(AD_GROUPS)] as AdDemoKey[];
      for (const key of keys) {
        const { searchEntries } = await search(dc.dns[key], { scope: 'base', attributes: ['sAMAccountName'] });
        expect({ key, sAMAccountName: searchEntries[0].sAMAccountName }).toEqual({
          key,
          sAMAccountName: dc.samAccountNames[key],
        });
      }
      expect(dc.samAccountNames.uuidLookalike).toBe(dc.ids.tdurden);
    });

    it("lists every group's direct members as the demo says, except a primary group's member", async () => {
      for (const [key, group] of Object.entries(AD_GROUPS) as Array<
        [AdDemoKey, (typeof AD_GROUPS)[keyof typeof AD_GROUPS]]
      >) {
        const { searchEntries } = await search(dc.dns[key], { scope: 'base', attributes: ['member'] });
        const expected = group.members.filter((member) => !(key === 'nightShift' && member === 'nightworker'));
        expect({ key, members: lower(values(searchEntries[0].member)) }).toEqual({
          key,
          members: lower(expected.map((member) => dc.dns[member as AdDemoKey])),
        });
      }
    });

    it('lets each enabled user bind with the password of the demo', async () => {
      const users = Object.entries(AD_ACCOUNTS).filter(
        ([key, account]) => account.kind === 'user' && key !== 'formeradmin',
      );
      for (const [key, account] of users) {
        const password = (account as { password: string }).password;
        await expect(boundAs(dc.dns[key as AdDemoKey], password, async () => key)).resolves.toBe(key);
      }
    });

    it('has bob@fightclub.com name two users: people/bob by mail, the contractor by userPrincipalName', async () => {
      const { searchEntries } = await search(AD_DEMO.baseDn, {
        filter: '(&(objectClass=user)(|(mail=bob@fightclub.com)(userPrincipalName=bob@fightclub.com)))',
        attributes: ['sAMAccountName', 'mail', 'userPrincipalName'],
      });
      expect(
        searchEntries.map(({ sAMAccountName, mail, userPrincipalName }) => ({
          sAMAccountName,
          mail,
          userPrincipalName,
        })),
      ).toEqual(
        expect.arrayContaining([
          {
            sAMAccountName: 'bob.employee',
            mail: 'bob@fightclub.com',
            userPrincipalName: 'bob.employee@fightclub.com',
          },
          {
            sAMAccountName: 'bob.contractor',
            mail: 'bob@contractors.fightclub.com',
            userPrincipalName: 'bob@fightclub.com',
          },
        ]),
      );
      expect(searchEntries).toHaveLength(2);
    });
  });

  describe('objectGUID', () => {
    it('gives every id exactly as Samba writes the objectGUID', async () => {
      const keys = [...Object.keys(AD_ACCOUNTS), ...Object.keys(AD_GROUPS)] as AdDemoKey[];
      const samba: Partial<Record<AdDemoKey, string>> = {};
      // Four ldbsearch processes at a time: each takes about 0.2 s, mostly loading Samba's modules.
      for (let first = 0; first < keys.length; first += 4) {
        await Promise.all(
          keys.slice(first, first + 4).map(async (key) => {
            samba[key] = await dc.sambaToolGuid(dc.samAccountNames[key]);
          }),
        );
      }
      expect(samba).toEqual(dc.ids);
    }, 60_000);

    it('is what samba-tool prints for a user and a group', async () => {
      const show = async (kind: 'user' | 'group', name: string) => {
        const configuration = join(dc.directory, 'etc', 'smb.conf');
        const { stdout } = await run('samba-tool', [
          kind,
          'show',
          name,
          '--attributes=objectGUID',
          '-s',
          configuration,
        ]);
        return /^objectGUID: (.+)$/m.exec(stdout)?.[1];
      };
      await expect(show('user', 'tdurden')).resolves.toBe(dc.ids.tdurden);
      await expect(show('group', dc.samAccountNames.paperStreetSoapCompany)).resolves.toBe(
        dc.ids.paperStreetSoapCompany,
      );
    });

    it("names the entry in AD's <GUID=…> form of a DN", async () => {
      const { searchEntries } = await search(`<GUID=${dc.ids.nightShift}>`, { scope: 'base', attributes: ['cn'] });
      expect(searchEntries.map((entry) => entry.cn)).toEqual(['Night Shift']);
    });
  });

  describe('nested groups by the in-chain matching rule', () => {
    it("finds the narrator's groups at any depth, through the Fight Club ↔ Project Mayhem cycle, each once", async () => {
      await expect(cnsOfGroupsWithMemberInChain(dc.dns.narrator)).resolves.toEqual([
        'Back\\Slash Team',
        'Fight Club',
        "Lou's Tavern Regulars",
        'Paper Street Soap Company',
        'Project Mayhem',
        'Wildcards (*) & Parens',
      ]);
    });

    it('follows rpaulson six groups deep, to Paper Street Soap Company', async () => {
      await expect(cnsOfGroupsWithMemberInChain(dc.dns.rpaulson)).resolves.toEqual([
        'Arson Committee',
        'Assault Committee',
        'Fight Club',
        'Mischief Committee',
        'Paper Street Soap Company',
        'Project Mayhem',
        'Space Monkeys',
      ]);
    });

    it('leaves out a primary group: nightworker is in Night Shift only through primaryGroupID', async () => {
      const { searchEntries } = await search(dc.dns.nightworker, {
        scope: 'base',
        attributes: ['memberOf', 'primaryGroupID'],
      });
      const nightShift = await search(dc.dns.nightShift, {
        scope: 'base',
        attributes: ['primaryGroupToken', 'member', 'memberOf'],
      });
      // Domain Users, the primary group nightworker had before, became an ordinary membership when it was replaced.
      expect(values(searchEntries[0].memberOf)).toEqual([`CN=Domain Users,CN=Users,DC=fightclub,DC=com`]);
      expect(searchEntries[0].primaryGroupID).toBe(String(nightShift.searchEntries[0].primaryGroupToken));
      expect(values(nightShift.searchEntries[0].member)).toEqual([]);
      expect(lower(values(nightShift.searchEntries[0].memberOf))).toEqual(lower([dc.dns.paperStreetSoapCompany]));
      await expect(cnsOfGroupsWithMemberInChain(dc.dns.nightworker)).resolves.toEqual([]);
    });
  });

  describe('accounts', () => {
    it("refuses a disabled account's right password (533) like a wrong one (52e): invalid credentials", async () => {
      const disabled = boundAs(`formeradmin@${AD_DEMO.upnSuffix}`, 'former-secret', async () => 'bound');
      await expect(disabled).rejects.toBeInstanceOf(InvalidCredentialsError);
      await expect(disabled).rejects.toThrow(/data 533,/);
      const wrong = boundAs(`sysadmin@${AD_DEMO.upnSuffix}`, 'not-the-password', async () => 'bound');
      await expect(wrong).rejects.toBeInstanceOf(InvalidCredentialsError);
      await expect(wrong).rejects.toThrow(/data 52e,/);
      // Still listed: a membership answer must look at the account itself.
      const { searchEntries } = await search(dc.dns.formeradmin, {
        scope: 'base',
        attributes: ['memberOf', 'userAccountControl'],
      });
      expect(searchEntries[0]).toMatchObject({ userAccountControl: '514', memberOf: dc.dns.systemAdministrators });
    });

    it('has a computer in a group that a person filter leaves out', async () => {
      const members = `(memberOf=${dc.dns.liposuctionTechnicians})`;
      const all = await search(AD_DEMO.baseDn, {
        filter: `(&(objectClass=user)${members})`,
        attributes: ['sAMAccountName'],
      });
      const people = await search(AD_DEMO.baseDn, {
        filter: `(&(objectCategory=person)(objectClass=user)${members})`,
        attributes: ['sAMAccountName'],
      });
      expect(all.searchEntries.map((entry) => entry.sAMAccountName).sort()).toEqual(['kiosk$', 'tdurden']);
      expect(people.searchEntries.map((entry) => entry.sAMAccountName)).toEqual(['tdurden']);
    });
  });

  describe('searching and binding', () => {
    it('answers a search at the domain root with a continuation reference too, one below an OU without', async () => {
      const result = await search(AD_DEMO.baseDn, { filter: '(sAMAccountName=tdurden)', attributes: ['cn'] });
      expect(result.searchEntries.map((entry) => entry.cn)).toEqual(['Tyler Durden']);
      expect(result.searchReferences).toEqual(
        expect.arrayContaining([expect.stringMatching(/^ldaps:\/\/.*CN=Configuration,DC=fightclub,DC=com$/i)]),
      );
      const belowAnOu = await search(`ou=people,${AD_DEMO.baseDn}`, {
        filter: '(sAMAccountName=tdurden)',
        attributes: ['cn'],
      });
      expect(belowAnOu).toEqual({
        searchEntries: [expect.objectContaining({ cn: 'Tyler Durden' })],
        searchReferences: [],
      });
    });

    it.each([
      ['by userPrincipalName', AD_DEMO.serviceUpn],
      ['by DN', AD_DEMO.serviceDn],
    ])('binds the service account %s over LDAPS and over StartTLS', async (_how, login) => {
      const sees = async (client: Client) =>
        (await client.search(dc.dns.tdurden, { scope: 'base', attributes: ['cn'] })).searchEntries[0].cn;
      await expect(boundAs(login, AD_DEMO.servicePassword, sees)).resolves.toBe('Tyler Durden');

      const startTls = clientFor(dc.startTlsUrl);
      try {
        await startTls.startTLS({ ca: [ca] });
        await startTls.bind(login, AD_DEMO.servicePassword);
        await expect(sees(startTls)).resolves.toBe('Tyler Durden');
      } finally {
        await startTls.unbind();
      }
    });

    it('refuses a simple bind on ldap:// without StartTLS', async () => {
      const plain = new Client({ url: dc.startTlsUrl, timeout: 5000, connectTimeout: 2000 });
      try {
        await expect(plain.bind(AD_DEMO.serviceUpn, AD_DEMO.servicePassword)).rejects.toBeInstanceOf(
          StrongAuthRequiredError,
        );
      } finally {
        await plain.unbind();
      }
    });
  });

  describe('the infrastructure', () => {
    it(
      'gives DCs started at the same time addresses and domains of their own',
      async () => {
        const started = await Promise.allSettled([SambaDc.start(), SambaDc.start()]);
        const dcs = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
        try {
          expect(started.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
          const [first, second] = dcs;
          expect(new Set([dc.address, first.address, second.address]).size).toBe(3);
          expect(first.ids.tdurden).not.toBe(second.ids.tdurden);
          for (const other of dcs) {
            const otherCa = await readFile(other.caFile, 'utf8');
            const client = new Client({ url: other.ldapsUrl, tlsOptions: { ca: [otherCa] }, timeout: 5000 });
            try {
              await client.bind(AD_DEMO.serviceUpn, AD_DEMO.servicePassword);
              const { searchEntries } = await client.search(`<GUID=${other.ids.tdurden}>`, {
                scope: 'base',
                attributes: ['cn'],
              });
              expect(searchEntries.map((entry) => entry.cn)).toEqual(['Tyler Durden']);
            } finally {
              await client.unbind();
            }
          }
        } finally {
          await Promise.all(dcs.map((other) => other.destroy()));
        }
      },
      START_TIMEOUT_MS,
    );

    it('keeps the data and the address through a stop and a restart', async () => {
      const outageGroup = `cn=Outage Survivors,${groupsDn}`;
      const administrator = await dc.administrator();
      try {
        await administrator.add(outageGroup, {
          objectClass: ['top', 'group'],
          cn: 'Outage Survivors',
          sAMAccountName: 'outage-survivors',
          member: dc.dns.tdurden,
        });
      } finally {
        await administrator.unbind();
      }
      const address = dc.address;

      await dc.stop();
      await expect(search(dc.dns.tdurden, { scope: 'base' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });

      await dc.restart();
      expect(dc.address).toBe(address);
      const { searchEntries } = await search(`<GUID=${dc.ids.tdurden}>`, { scope: 'base', attributes: ['memberOf'] });
      expect(lower(values(searchEntries[0].memberOf))).toContain(outageGroup.toLowerCase());
    });
  });
});
