/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	// every folder of test/ (unit, contract, engine, fuzz, lint, packaging); browser/ and e2e/ have their own runners
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testTimeout: 30000,
	// Node-RED and the simulators are real servers; give each file its own worker state.
	maxWorkers: 2,
};
