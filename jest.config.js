// Two Jest projects: the Lightning Web Components (jsdom, the LWC preset from sfdx-lwc-jest) and the
// Node side (core properties, CLI, metadata, platform compiler, local org, sync) in the node environment.
// A third, the torture suite (issue 9: kills, faults, bad input, fuzzing, security; several minutes), is
// there only when asked for — `npm run test:torture` (`jest --selectProjects torture`) — so that
// `npm run test:unit` and a plain `jest` do not run it.
import sfdxLwcJest from '@salesforce/sfdx-lwc-jest/config.js';

const { jestConfig } = sfdxLwcJest;

const nodeTransform = {
  transform: { '^.+\\.(ts|js|mjs)$': '<rootDir>/scripts/jest/esbuild-transform.cjs' },
  transformIgnorePatterns: ['/node_modules/(?!(@jetstreamapp|@lwc|@komaci)/)'],
  moduleNameMapper: { '^c/npsCore$': '<rootDir>/force-app/main/default/lwc/npsCore/npsCore.ts' }
};

const tortureWanted = process.argv.some((arg) => arg === 'torture' || arg === '--selectProjects=torture');
const torture = {
  displayName: 'torture',
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testMatch: ['<rootDir>/scripts/torture/**/*.torture.ts'],
  ...nodeTransform,
  // Prints the seed before anything runs; writes docs/TORTURE.md from the figures of the run.
  globalSetup: '<rootDir>/scripts/torture/globalSetup.ts',
  globalTeardown: '<rootDir>/scripts/torture/globalTeardown.ts'
};

export default {
  projects: [
    {
      ...jestConfig,
      displayName: 'lwc',
      moduleFileExtensions: ['ts', 'js', 'html', 'json'],
      testMatch: ['<rootDir>/force-app/**/__tests__/**/*.test.ts'],
      setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv ?? []), '<rootDir>/scripts/jest/lwc-setup.js'],
      testPathIgnorePatterns: ['<rootDir>/node_modules/', '<rootDir>/.localdevserver/']
    },
    {
      displayName: 'node',
      rootDir: '.',
      testEnvironment: 'node',
      moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
      testMatch: ['<rootDir>/scripts/**/__tests__/**/*.test.ts'],
      ...nodeTransform
    },
    ...(tortureWanted ? [torture] : [])
  ]
};
