import { parseBasicCredentials } from './basic-credentials';

const basic = (text: string): string => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe(parseBasicCredentials.name, () => {
  const sut = parseBasicCredentials;

  it('reads the login and password of a Basic header', () => {
    expect(sut(basic('tyler:soap'))).toEqual({ login: 'tyler', password: 'soap' });
  });

  it('splits on the first colon, so the password may contain colons', () => {
    expect(sut(basic('tyler:so:ap:'))).toEqual({ login: 'tyler', password: 'so:ap:' });
  });

  it('reads a UTF-8 login and password', () => {
    expect(sut(basic('marla@example.com:pässwörd'))).toEqual({ login: 'marla@example.com', password: 'pässwörd' });
  });

  it.each(['basic', 'BASIC', 'bAsIc'])('accepts the scheme written as "%s"', (scheme) => {
    const encoded = Buffer.from('tyler:soap').toString('base64');

    expect(sut(`${scheme} ${encoded}`)).toEqual({ login: 'tyler', password: 'soap' });
  });

  it('accepts a login of exactly 256 characters', () => {
    const login = 'x'.repeat(256);

    expect(sut(basic(`${login}:soap`))).toEqual({ login, password: 'soap' });
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', `Bearer ${Buffer.from('tyler:soap').toString('base64')}`],
    ['the scheme alone', 'Basic'],
    ['characters outside base64', 'Basic dHlsZXI6c29hcA==!'],
    ['a base64 payload with too much padding', 'Basic dHlsZXI6c29hcA==='],
    ['no colon', basic('tylersoap')],
    ['an empty login', basic(':soap')],
    ['an empty password', basic('tyler:')],
    ['empty login and password', basic(':')],
    ['a NUL in the login', basic('tyl\u0000er:soap')],
    ['a newline in the login', basic('tyler\n:soap')],
    ['invalid UTF-8', `Basic ${Buffer.from([0x74, 0xff, 0x3a, 0x73]).toString('base64')}`],
    ['a login longer than 256 characters', basic(`${'x'.repeat(257)}:soap`)],
  ])('gives nothing for %s', (_, header) => {
    expect(sut(header)).toBeUndefined();
  });
});
