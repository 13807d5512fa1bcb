import { ExtensibleFilter, Filter } from 'ldapts';
import { DialectContext, ServerVerdict } from '../ldap-dialect';
import { all, any, equals } from '../ldap-filters';
import { dnKey, WalkStart, WalkTarget } from '../membership-walk';
import { domainOf } from './domain-dn';

/** LDAP_MATCHING_RULE_IN_CHAIN: Active Directory follows the attribute's DN values transitively, cycles included. */
const IN_CHAIN = '1.2.840.113556.1.4.1941';

/** Active Directory answers transitive membership itself: one search, whatever the depth. */
export class InChainVerdict implements ServerVerdict {
  constructor(private readonly context: DialectContext) {}

  async reaches(user: WalkStart, targets: readonly WalkTarget[]): Promise<boolean> {
    const { primaryGroup } = user;
    if (primaryGroup && targets.some((target) => dnKey(target.dn) === dnKey(primaryGroup.dn))) {
      return true;
    }
    const { ldap, entries, baseDn } = this.context;
    // Scoped to the user's own entry and its primary group's: the server climbs memberOf upwards from those two, which
    // costs what their own nesting costs, where asking each listed group for its members at any depth would expand
    // groups as large as the whole domain.
    const starts = [user.dn, ...(primaryGroup ? [primaryGroup.dn] : [])];
    const reached = await ldap.search(
      domainOf(user.dn) ?? baseDn,
      all([
        any(starts.map((dn) => equals('distinguishedName', dn))),
        any(targets.map((target) => inChain(entries.schema.memberOfAttribute, target.dn))),
      ]),
      ['1.1'],
      {},
    );
    return reached.length > 0;
  }
}

/** Entries whose attribute reaches the DN through any number of entries. */
function inChain(attribute: string, dn: string): Filter {
  return new ExtensibleFilter({ matchType: attribute, rule: IN_CHAIN, value: dn });
}
