import type { Config } from "@react-router/dev/config";

export default {
  ssr: true,
  // Opt in to the v8 behaviours now (middleware in particular: tenant resolution runs once per
  // request in route middleware), so the later move to React Router 8 on Node 22 is small.
  future: {
    v8_middleware: true,
    v8_splitRouteModules: true,
    v8_viteEnvironmentApi: true,
    v8_passThroughRequests: true,
    v8_trailingSlashAwareDataRequests: true,
  },
} satisfies Config;
