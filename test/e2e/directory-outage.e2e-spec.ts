import { startOpenLdapDemo } from '@test/support/demo-server';
import { describeDirectoryOutage } from './expectations/directory-outage';

describe('OpenLDAP', () => describeDirectoryOutage(startOpenLdapDemo));
