import { defineConfig } from 'vitest/config';
import { configureSoftwareVulkan } from './src/gpu/node-env.js';

// Must be set on the real process env here, before workers start: `test.env` and a worker
// thread's process.env never reach the Vulkan loader (DESIGN.md). Forked workers inherit it.
configureSoftwareVulkan();

export default defineConfig({
  test: {
    // dawn.node is a native addon holding Vulkan state: one child process per test file.
    pool: 'forks',
    // SwiftShader is slow; browser tests launch Chromium.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['tests/**/*.test.ts'], exclude: ['tests/e2e/**'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          exclude: ['tests/e2e/**/*.alone.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
        },
      },
      {
        // Timing-sensitive browser tests (frame gaps): `npm test` runs them in a second vitest
        // run, after the others, one file at a time, so no other test shares the cores.
        extends: true,
        test: {
          name: 'e2e-alone',
          include: ['tests/e2e/**/*.alone.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
