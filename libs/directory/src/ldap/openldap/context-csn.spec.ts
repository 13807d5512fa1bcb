import { namingContextHolding } from './context-csn';

describe(namingContextHolding.name, () => {
  const contexts = ['dc=example,dc=com', 'ou=branch,dc=example,dc=com', 'dc=other,dc=org'];

  it('picks the closest naming context above the DN', () => {
    expect(namingContextHolding('ou=people,ou=branch,dc=example,dc=com', contexts)).toBe('ou=branch,dc=example,dc=com');
    expect(namingContextHolding('ou=people,dc=example,dc=com', contexts)).toBe('dc=example,dc=com');
  });

  it('takes the DN itself when it is a naming context, whatever its case and spacing', () => {
    expect(namingContextHolding('DC=Other, DC=Org', contexts)).toBe('dc=other,dc=org');
  });

  it('does not take a context that only ends with the same characters', () => {
    expect(namingContextHolding('dc=myexample,dc=com', contexts)).toBe('dc=myexample,dc=com');
  });
});
