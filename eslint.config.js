// ESLint: Salesforce's LWC rules (TypeScript flavour) for the components, typescript-eslint everywhere.
import lwcRecommendedTs from '@salesforce/eslint-config-lwc/recommended-ts.js';
import tseslint from 'typescript-eslint';

const lwcFiles = ['force-app/main/default/lwc/**/*.ts'];

export default [
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      'force-app/main/default/lwc/**/*.js',
      'force-app/main/default/staticresources/**',
      '**/*.d.ts',
      '**/*.cjs'
    ]
  },
  ...lwcRecommendedTs.map((config) => ({ ...config, files: lwcFiles })),
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  }
];
