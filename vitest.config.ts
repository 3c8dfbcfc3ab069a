import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'src-main/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Two cores: keep the pool small so CI timings stay predictable.
    pool: 'threads',
    maxWorkers: 2,
  },
});
