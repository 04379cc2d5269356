import { defineConfig } from "vite";

// `vite build --config vite.worker.config.ts` -> build/node/worker.js (the job worker) and
// build/node/web.js (the production web server, which loads build/server/index.js at run time).
// npm packages stay external.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  build: {
    ssr: true,
    outDir: "build/node",
    emptyOutDir: true,
    target: "node20",
    rollupOptions: {
      input: { worker: "jobs/worker.ts", web: "server/index.ts" },
      output: { entryFileNames: "[name].js" },
    },
  },
});
