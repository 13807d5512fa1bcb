import { ACTIVE_DIRECTORY } from './active-directory/active-directory-dialect';
import { schemaOf } from './ldap-dialect';

describe(schemaOf.name, () => {
  it("takes the dialect's defaults for what the deployment leaves unset", () => {
    expect(schemaOf(ACTIVE_DIRECTORY, { usernameAttribute: undefined, groupNameAttribute: 'displayName' })).toEqual({
      ...ACTIVE_DIRECTORY.defaultSchema,
      groupNameAttribute: 'displayName',
    });
  });
});
