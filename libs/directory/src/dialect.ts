/** The kinds of directory server the library knows the conventions of. */
export const DIRECTORY_DIALECTS = ['openldap', 'active-directory'] as const;

/**
 * openldap: RFC 4519 entries (inetOrgPerson, groupOfNames) with the memberOf overlay, as OpenLDAP serves them.
 * active-directory: Active Directory and Samba's AD domain controller.
 */
export type DirectoryDialect = (typeof DIRECTORY_DIALECTS)[number];
