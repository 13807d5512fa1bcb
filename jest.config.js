/**
 * Four tiers, each runnable alone (npm run test:unit, test:integration, test:e2e, test:system) and all of them by
 * npm test: unit specs beside the code; integration, the directory library against real slapd and Samba; e2e, the
 * HTTP API in-process against them; system, slow tests of real processes (the built service, faults, load, fuzzing).
 */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: {
    '^@app/directory(|/.*)$': '<rootDir>/libs/directory/src$1',
    '^@test/support/(.*)$': '<rootDir>/test/support/$1',
  },
};

module.exports = {
  // Real processes start in integration, e2e and system tests: a generous bound that only a hang would reach. Jest
  // reads it from the top level only; set in a project, it is ignored and every test gets 5 s.
  testTimeout: 30_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    { ...shared, displayName: 'system', testMatch: ['<rootDir>/test/system/**/*.system-spec.ts'] },
  ],
};
