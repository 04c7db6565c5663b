// Two Jest projects: the Lightning Web Components (jsdom, the LWC preset from sfdx-lwc-jest) and the
// Node side (core properties, CLI, metadata, platform compiler, local org, sync) in the node environment.
import sfdxLwcJest from '@salesforce/sfdx-lwc-jest/config.js';

const { jestConfig } = sfdxLwcJest;

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
      transform: { '^.+\\.(ts|js|mjs)$': '<rootDir>/scripts/jest/esbuild-transform.cjs' },
      transformIgnorePatterns: ['/node_modules/(?!(@jetstreamapp|@lwc|@komaci)/)'],
      moduleNameMapper: { '^c/npsCore$': '<rootDir>/force-app/main/default/lwc/npsCore/npsCore.ts' }
    }
  ]
};
