import { startOpenLdapDemo } from '@test/support/demo-server';
import { describeMembershipCheck } from './expectations/membership-check';

describe('OpenLDAP', () => describeMembershipCheck(startOpenLdapDemo));
