import { AndFilter, EqualityFilter, ExtensibleFilter, Filter, OrFilter } from 'ldapts';

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

/** LDAP_MATCHING_RULE_IN_CHAIN: Active Directory follows the attribute's DN values transitively, cycles included. */
const IN_CHAIN = '1.2.840.113556.1.4.1941';

/** Entries whose attribute reaches the DN through any number of entries. */
export function inChain(attribute: string, dn: string): Filter {
  return new ExtensibleFilter({ matchType: attribute, rule: IN_CHAIN, value: dn });
}
