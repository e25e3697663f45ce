// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // test/consumer/apps/ are type-checked by tsc inside the consumer app they are copied to, where
    // they resolve the installed tarballs (and the express4 alias); the workspace cannot.
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'docs/api/**',
      '**/*.d.ts',
      '**/*.d.cts',
      'test/consumer/apps/**',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'max-params': ['error', 3],
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@einhorn/*/src/**', '@einhorn/*/dist/**', '@einhorn/*/internal/**'],
              message: 'Import only the published entry points of @einhorn/* packages.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      '**/*.test.ts',
      '**/*.test-d.ts',
      '**/*.test-helpers.ts',
      'test/**',
      'examples/**',
      'scripts/**',
      '**/*.config.ts',
      '*.ts',
    ],
    rules: {
      'max-params': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
