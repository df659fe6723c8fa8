import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // ZooKeeper, sshd and the simulator are real processes: two cores do not like many at once.
    maxWorkers: 2,
    disableConsoleIntercept: true,
  },
})
