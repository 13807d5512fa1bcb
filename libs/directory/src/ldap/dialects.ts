import { DirectoryDialect } from '../dialect';
import { ACTIVE_DIRECTORY } from './active-directory/active-directory-dialect';
import { Dialect } from './ldap-dialect';
import { OPENLDAP } from './openldap/openldap-dialect';

export const DIALECTS: Record<DirectoryDialect, Dialect> = {
  openldap: OPENLDAP,
  'active-directory': ACTIVE_DIRECTORY,
};
