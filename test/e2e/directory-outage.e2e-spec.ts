import { startOpenLdapDemo } from '../support/demo-server';
import { describeDirectoryOutage } from './expectations/directory-outage';

describe('OpenLDAP', () => describeDirectoryOutage(startOpenLdapDemo));
