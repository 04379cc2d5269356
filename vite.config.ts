import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

export default defineConfig({
  // Vite 8 resolves tsconfig "paths" natively; needed for the dev server (build works without).
  resolve: { tsconfigPaths: true },
  // Routes are discovered lazily in dev, so Vite would find these on a first visit, pre-bundle them
  // and reload the page (issue 13.8: the demo's first clicks reloaded). Named up front, they are
  // bundled at start. Only what the browser imports; server-only packages stay out.
  optimizeDeps: {
    include: [
      "react",
      "react/jsx-runtime",
      "react/jsx-dev-runtime",
      "react-dom",
      "react-dom/client",
      "react-router",
      "zod",
    ],
  },
  plugins: [tailwindcss(), reactRouter()],
});
