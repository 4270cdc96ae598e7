// Tests run as ES modules because the @actions toolkit is ESM only.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: './__tests__/support/global-setup.js',
  // Several tests disable, enable and register entries of the machine-wide
  // binfmt_misc; running test files one at a time keeps them from seeing
  // each other's changes.
  maxWorkers: 1,
  testTimeout: 60000,
  verbose: true
}
