import { groupOrder, userOrder } from './list-order';

describe('list order', () => {
  it('sorts users by username regardless of case, then exactly, then by id', () => {
    const users = [
      { id: 'b', username: 'bob' },
      { id: 'c', username: 'Alice' },
      { id: 'a', username: 'bob' },
      { id: 'd', username: 'Bob' },
      { id: 'e', username: 'alice' },
    ];
    expect([...users].sort(userOrder).map((user) => `${user.username}/${user.id}`)).toEqual([
      'Alice/c',
      'alice/e',
      'Bob/d',
      'bob/a',
      'bob/b',
    ]);
  });

  it('sorts groups by name, then id, whatever order they arrive in', () => {
    const groups = [
      { id: '2', name: 'Support Group' },
      { id: '1', name: 'Support Group' },
      { id: '3', name: 'Café Société' },
      { id: '4', name: 'Zebra' },
    ];
    const expected = ['Café Société/3', 'Support Group/1', 'Support Group/2', 'Zebra/4'];
    expect([...groups].sort(groupOrder).map((group) => `${group.name}/${group.id}`)).toEqual(expected);
    expect(
      [...groups]
        .reverse()
        .sort(groupOrder)
        .map((group) => `${group.name}/${group.id}`),
    ).toEqual(expected);
  });
});
