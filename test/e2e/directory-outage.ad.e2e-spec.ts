import { startActiveDirectoryDemo } from '@test/support/demo-server';
import { describeDirectoryOutage } from './expectations/directory-outage';

describe('Active Directory', () => describeDirectoryOutage(startActiveDirectoryDemo));
