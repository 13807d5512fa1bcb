import { UserIdentity } from '@app/directory';
import { identityHeaders } from './identity-headers';

const TYLER: UserIdentity = {
  user: { id: '9f02a3d1-d8eb-4b10-8ed6-293a11d5201f', username: 'tdurden', email: 't.durden@fightclub.com' },
  displayName: 'Tyler Durden',
  groupNames: ['Liposuction Technicians', 'Paper Street Soap Company'],
};

describe(identityHeaders.name, () => {
  it('names the user, their name and email, and their groups separated by commas', () => {
    expect(identityHeaders(TYLER)).toEqual({
      'Remote-User': 'tdurden',
      'Remote-Name': 'Tyler Durden',
      'Remote-Email': 't.durden@fightclub.com',
      'Remote-Groups': 'Liposuction Technicians,Paper Street Soap Company',
    });
  });

  it('writes a comma inside a group name as %2C, and "%" and what is not printable ASCII as percent-encoded UTF-8', () => {
    const headers = identityHeaders({
      user: { id: 'x', username: 'zoë', email: undefined },
      displayName: 'Zoë 100%, Ünïcode 😀',
      groupNames: ['Smith, Jones', '50% Off', 'Tab\there', 'Ωmega'],
    });
    expect(headers).toEqual({
      'Remote-User': 'zo%C3%AB',
      'Remote-Name': 'Zo%C3%AB 100%25, %C3%9Cn%C3%AFcode %F0%9F%98%80',
      'Remote-Email': '',
      'Remote-Groups': 'Smith%2C Jones,50%25 Off,Tab%09here,%CE%A9mega',
    });
    expect(headers['Remote-Groups'].split(',').map(decodeURIComponent)).toEqual([
      'Smith, Jones',
      '50% Off',
      'Tab\there',
      'Ωmega',
    ]);
  });

  it('sends every header, empty when the directory has no value, so that a forged one is always overwritten', () => {
    expect(identityHeaders({ user: { id: 'x', username: 'bob' }, groupNames: [] })).toEqual({
      'Remote-User': 'bob',
      'Remote-Name': '',
      'Remote-Email': '',
      'Remote-Groups': '',
    });
  });

  it('writes the headers of one identity once', () => {
    expect(identityHeaders(TYLER)).toBe(identityHeaders(TYLER));
  });
});
