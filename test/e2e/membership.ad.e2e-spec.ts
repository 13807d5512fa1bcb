import { startActiveDirectoryDemo } from '@test/support/demo-server';
import { describeMembershipCheck } from './expectations/membership-check';

describe('Active Directory', () => describeMembershipCheck(startActiveDirectoryDemo));
