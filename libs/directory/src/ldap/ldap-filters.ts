import { AndFilter, EqualityFilter, Filter, OrFilter } from 'ldapts';

// Filter objects are encoded as BER, value by value: a user's value can never become filter syntax.
export function equals(attribute: string, value: string): Filter {
  return new EqualityFilter({ attribute, value });
}

export function ofClassWithAny(objectClass: string, alternatives: readonly Filter[]): Filter {
  return new AndFilter({ filters: [equals('objectClass', objectClass), new OrFilter({ filters: [...alternatives] })] });
}

export function ofClassWithAll(objectClass: string, conditions: readonly Filter[]): Filter {
  return new AndFilter({ filters: [equals('objectClass', objectClass), ...conditions] });
}
