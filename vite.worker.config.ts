import { defineConfig } from "vite";

// `vite build --config vite.worker.config.ts` -> build/worker/worker.js (npm packages stay external).
export default defineConfig({
  resolve: { tsconfigPaths: true },
  build: { ssr: "jobs/worker.ts", outDir: "build/worker", emptyOutDir: true, target: "node20" },
});
