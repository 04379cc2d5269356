import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

export default defineConfig({
  // Vite 8 resolves tsconfig "paths" natively; needed for the dev server (build works without).
  resolve: { tsconfigPaths: true },
  // Routes are discovered lazily in dev, so Vite found their dependencies on a first visit,
  // pre-bundled them and reloaded the page (issue 13.8: the demo's first clicks reloaded). Scanning
  // every route module at start finds them all before the first page is served.
  optimizeDeps: { entries: ["app/root.tsx", "app/routes/**/*.tsx"] },
  plugins: [tailwindcss(), reactRouter()],
});
