import { defineConfig } from "vitest/config";

// Separate from vite.config.ts so the React Router plugin is not loaded under Vitest.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    environment: "node",
    include: [
      "app/**/*.test.ts",
      "db/**/*.test.ts",
      "jobs/**/*.test.ts",
      "emails/**/*.test.ts",
      "server/**/*.test.ts",
      "tests/**/*.test.ts",
    ],
    globalSetup: ["tests/setup/global-setup.ts"],
    fileParallelism: false, // files share one Postgres database and one Redis
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
