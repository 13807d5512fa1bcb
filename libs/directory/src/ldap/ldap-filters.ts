import { AndFilter, EqualityFilter, Filter, OrFilter } from 'ldapts';

// Filter objects are encoded as BER, value by value: a user's value can never become filter syntax.
export function equals(attribute: string, value: string | Buffer): Filter {
  return new EqualityFilter({ attribute, value });
}

export function all(conditions: readonly Filter[]): Filter {
  return new AndFilter({ filters: [...conditions] });
}

export function any(alternatives: readonly Filter[]): Filter {
  return new OrFilter({ filters: [...alternatives] });
}

export function ofClassWithAny(entries: Filter, alternatives: readonly Filter[]): Filter {
  return all([entries, any(alternatives)]);
}

export function ofClassWithAll(entries: Filter, conditions: readonly Filter[]): Filter {
  return all([entries, ...conditions]);
}
