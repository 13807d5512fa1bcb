import { bytesFromGuid, guidFromBytes } from './object-guid';

describe('objectGUID', () => {
  // The pair from Microsoft's documentation of the GUID structure, as samba-tool and PowerShell print it.
  const printed = '88a947b7-4da2-4863-a3b9-64717f904099';
  const onTheWire = Buffer.from('b747a988a24d6348a3b964717f904099', 'hex');

  it('reads the bytes the server sends as the GUID its tools print', () => {
    expect(guidFromBytes(onTheWire)).toBe(printed);
  });

  it('writes a GUID as the bytes the server compares', () => {
    expect(bytesFromGuid(printed)).toEqual(onTheWire);
    expect(bytesFromGuid(printed.toUpperCase())).toEqual(onTheWire);
  });

  it('is not a plain hex dump', () => {
    expect(guidFromBytes(onTheWire).replace(/-/g, '')).not.toBe(onTheWire.toString('hex'));
  });

  it('round-trips any 16 bytes', () => {
    for (let i = 0; i < 100; i++) {
      const bytes = Buffer.from(Array.from({ length: 16 }, (_, j) => (i * 37 + j * 11) & 0xff));
      expect(bytesFromGuid(guidFromBytes(bytes))).toEqual(bytes);
    }
  });

  it('refuses what is not a GUID', () => {
    expect(() => guidFromBytes(Buffer.alloc(15))).toThrow(/16 bytes/);
    expect(() => bytesFromGuid('Paper Street Soap Company')).toThrow(/UUID syntax/);
  });
});
