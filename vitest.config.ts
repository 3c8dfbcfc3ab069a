import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'engine/**/*.test.ts',
      'src-shared/**/*.test.ts',
      'src-main/**/*.test.ts',
      'src-web/**/*.test.ts',
      'src-renderer/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    environment: 'node',
    // Two cores: keep the pool small so CI timings stay predictable.
    pool: 'threads',
    maxWorkers: 2,
    // Tests never assert on time; this only catches a hang. CLI tests spawn real processes, which
    // on a loaded 2-core machine can take several seconds each.
    testTimeout: 120_000,
  },
});
