import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

export default defineConfig({
  // Vite 8 resolves tsconfig "paths" natively; needed for the dev server (build works without).
  resolve: { tsconfigPaths: true },
  plugins: [tailwindcss(), reactRouter()],
});
