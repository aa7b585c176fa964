// Type-checking is done once by `tsc -p tsconfig.dev.json` in `npm test`; jest only transpiles
// (tsconfig.jest.json sets isolatedModules, so ts-jest uses transpile-only mode).
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/support/jest-env.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }] },
  testTimeout: 120000,
};
