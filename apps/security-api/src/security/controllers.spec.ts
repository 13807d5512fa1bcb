import { DirectoryUser } from '@app/directory';
import { HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { InMemoryDirectory } from '@test/support/in-memory-directory';
import { ApiError } from '../errors/api-error';
import { GroupsController } from './groups.controller';
import { MembershipController } from './membership.controller';
import { UsersController } from './users.controller';

const TYLER: DirectoryUser = {
  id: '7f3c1a52-0000-4000-8000-000000000001',
  username: 'tyler',
  email: 'tyler@paper.street',
};
const ROBERT: DirectoryUser = { id: '7f3c1a52-0000-4000-8000-000000000002', username: 'robert' };
const PAGE = { index: 0, size: 25 };

/** A response to note the question and its answer on, as the request line reads them. */
const answering = (): Response => ({ locals: {} }) as Response;

async function apiErrorFrom(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('the controllers', () => {
  let directory: InMemoryDirectory;
  let users: UsersController;
  let groups: GroupsController;
  let membership: MembershipController;

  beforeEach(() => {
    directory = new InMemoryDirectory({
      accounts: [
        { logins: ['tyler'], password: 'soap', user: TYLER },
        { logins: ['robert'], password: 'his-name-is', user: ROBERT },
      ],
      memberships: { [TYLER.id]: ['Project Mayhem', 'Paper Street'], [ROBERT.id]: ['Space Monkeys', 'Project Mayhem'] },
      directMemberships: { [TYLER.id]: ['Paper Street'], [ROBERT.id]: ['Space Monkeys'] },
      childGroups: { 'Project Mayhem': ['Space Monkeys', 'Paper Street'] },
      ambiguousGroups: { 'Support Group': ['id-1', 'id-2'] },
    });
    users = new UsersController(directory);
    groups = new GroupsController(directory);
    membership = new MembershipController(directory);
  });

  describe(UsersController.name, () => {
    it('answers a user with email null when there is none', async () => {
      await expect(users.user('robert', TYLER)).resolves.toEqual({ id: ROBERT.id, username: 'robert', email: null });
    });

    it('answers @current with the caller, without asking the directory', async () => {
      await expect(users.user('@current', TYLER)).resolves.toEqual({
        id: TYLER.id,
        username: 'tyler',
        email: 'tyler@paper.street',
      });
      expect(directory.calls).toEqual([]);
    });

    it('answers 404 USER_NOT_FOUND for an unknown user', async () => {
      const error = await apiErrorFrom(users.user('nobody', TYLER));
      expect(error.getStatus()).toBe(HttpStatus.NOT_FOUND);
      expect(error.data.reason).toBe('USER_NOT_FOUND');
    });

    it("pages a user's groups, handing the caller itself to the directory for @current", async () => {
      const body = await users.groups('@current', 'inherited', { index: 0, size: 1 }, TYLER);
      expect(body).toEqual({
        pageIndex: 0,
        pageSize: 1,
        totalCount: 2,
        pageCount: 2,
        items: [{ id: 'id-of-Paper Street', name: 'Paper Street' }],
      });
      expect(directory.callsTo('groupsOfUser')).toEqual([[TYLER, 'inherited', { index: 0, size: 1 }]]);
    });
  });

  describe(GroupsController.name, () => {
    it('pages direct members and child groups, and reports an empty list with pageCount 0', async () => {
      expect((await groups.users('Space Monkeys', PAGE)).items).toEqual([
        { id: ROBERT.id, username: 'robert', email: null },
      ]);
      expect((await groups.groups('Project Mayhem', PAGE)).items.map((group) => group.name)).toEqual([
        'Paper Street',
        'Space Monkeys',
      ]);
      expect(await groups.groups('Space Monkeys', PAGE)).toEqual({
        pageIndex: 0,
        pageSize: 25,
        totalCount: 0,
        pageCount: 0,
        items: [],
      });
    });

    it.each([
      ['users', 'No Such Group', HttpStatus.NOT_FOUND, 'GROUP_NOT_FOUND'],
      ['groups', 'Support Group', HttpStatus.CONFLICT, 'AMBIGUOUS_IDENTIFIER'],
    ] as const)('%s of %s answers %s %s', async (list, group, status, reason) => {
      const error = await apiErrorFrom(groups[list](group, PAGE));
      expect(error.getStatus()).toBe(status);
      expect(error.data.reason).toBe(reason);
    });
  });

  describe(MembershipController.name, () => {
    it('checks one group for one user, @current being the caller', async () => {
      await expect(membership.hasUser('Project Mayhem', '@current', ROBERT, answering())).resolves.toBeUndefined();
      expect(directory.callsTo('isMember')).toEqual([[ROBERT, ['Project Mayhem']]]);
      expect((await apiErrorFrom(membership.hasUser('Space Monkeys', 'tyler', ROBERT, answering()))).data.reason).toBe(
        'NOT_A_MEMBER',
      );
      expect((await apiErrorFrom(membership.hasUser('Nowhere', 'tyler', ROBERT, answering()))).data.reason).toBe(
        'GROUP_NOT_FOUND',
      );
      expect((await apiErrorFrom(membership.hasUser('Paper Street', 'nobody', ROBERT, answering()))).data.reason).toBe(
        'USER_NOT_FOUND',
      );
    });

    it('takes a comma in the group identifier as part of one name', async () => {
      await apiErrorFrom(membership.hasUser('Paper Street,Project Mayhem', 'tyler', ROBERT, answering()));
      expect(directory.callsTo('isMember')).toEqual([['tyler', ['Paper Street,Project Mayhem']]]);
    });
  });
});
