/** Three tiers: unit specs beside the code, integration (the LDAP library) and e2e (the HTTP API) against real slapd. */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: { '^@app/directory(|/.*)$': '<rootDir>/libs/directory/src$1' },
};

module.exports = {
  // Real processes start in integration and e2e tests: a generous bound that only a hang would reach. Jest reads it
  // from the top level only; set in a project, it is ignored and every test gets 5 s.
  testTimeout: 30_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
