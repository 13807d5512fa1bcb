import { hasUuidSyntax } from './identifier';

describe(hasUuidSyntax.name, () => {
  it.each([
    '9f02a3d1-d8eb-4b10-8ed6-293a11d5201f',
    '9F02A3D1-D8EB-4B10-8ED6-293A11D5201F',
    '00000000-0000-0000-0000-000000000000',
  ])('takes %s as an id', (value) => {
    expect(hasUuidSyntax(value)).toBe(true);
  });

  it.each([
    ['a name', 'Paper Street Soap Company'],
    ['a UUID without hyphens', '9f02a3d1d8eb4b108ed6293a11d5201f'],
    ['a UUID in braces', '{9f02a3d1-d8eb-4b10-8ed6-293a11d5201f}'],
    ['a UUID with a trailing space', '9f02a3d1-d8eb-4b10-8ed6-293a11d5201f '],
    ['a UUID followed by a line', '9f02a3d1-d8eb-4b10-8ed6-293a11d5201f\nx'],
    ['a UUID with a non-hex digit', '9f02a3d1-d8eb-4b10-8ed6-293a11d5201g'],
    ['a wildcard', '*'],
  ])('does not take %s as an id', (_kind, value) => {
    expect(hasUuidSyntax(value)).toBe(false);
  });
});
