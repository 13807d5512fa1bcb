import { resolve } from 'node:path';

// Compiled to dist/bench/bench (beside dist/bench/test, the test support it shares), three levels below the repository.
export const REPOSITORY = resolve(__dirname, '../../..');
export const SLAPD_SCRIPT = resolve(REPOSITORY, 'test/ldap/slapd.sh');
export const BUILT_SERVICE = resolve(REPOSITORY, 'dist/apps/security-api/apps/security-api/src/main.js');
export const RESULTS_FILE = resolve(REPOSITORY, 'bench/results/latest.md');
