/**
 * Import boundaries (ADR 034), checked by `npm run lint` after ESLint:
 *   - routes are thin: no drizzle-orm and no db/schema (they call a feature, which owns the queries);
 *   - a feature imports another feature only through that feature's public entry, the modules at the
 *     slice root (`app/features/<x>/*.ts`); its subfolders (components/, …) are private to the slice;
 *   - no import cycles.
 * Tests are outside these rules (they reach into slices on purpose).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "routes-no-database",
      severity: "error",
      comment:
        "Routes parse, call one feature function and answer; the feature owns drizzle and the schema (ADR 003, 034).",
      from: { path: "^app/routes/" },
      to: { path: ["^node_modules/drizzle-orm/", "^db/schema/"] },
    },
    {
      name: "feature-public-entry",
      severity: "error",
      comment: "Another slice is used through the modules at its root, never its subfolders (ADR 034).",
      from: { path: "^app/features/([^/]+)/", pathNot: "\\.test\\.tsx?$" },
      to: {
        path: "^app/features/[^/]+/[^/]+/",
        pathNot: [
          "^app/features/$1/",
          // Temporary (ADR 034): resident booking pieces shared with phone booking and LIFF, left in
          // place while the booking pages are being reworked; they move to app/components/ afterwards.
          "^app/features/reservations/components/(identity-fields|reservation-summary)\\.tsx$",
        ],
      },
    },
    {
      name: "shared-code-no-features",
      severity: "error",
      comment:
        "app/lib, app/components/ui and app/integrations are below the slices: they never import one. Layouts (app/components/layouts) compose pages like routes do and may (ADR 034).",
      from: { path: "^app/(lib|components/ui|integrations)/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "^app/(features|routes)/" },
    },
    {
      name: "features-not-job-processors",
      severity: "error",
      comment:
        "Processors are adapters that call features, so features use only the job catalogue and queue plumbing, never a processor, scheduler or the worker (ADR 006, 034).",
      from: { path: "^app/" },
      to: { path: "^jobs/", pathNot: "^jobs/(catalogue\\.ts|queues\\.server\\.ts)$" },
    },
    {
      name: "job-catalogue-is-a-leaf",
      severity: "error",
      comment:
        "The job catalogue (names, queues, payload schemas) imports no app code, so anything may import it (ADR 034).",
      from: { path: "^jobs/catalogue\\.ts$" },
      to: { path: "^(app|jobs|db|server)/" },
    },
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles make load order matter and slices inseparable (ADR 034).",
      from: { pathNot: "\\.test\\.tsx?$" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^build/", "^\\.react-router/", "^db/migrations/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    combinedDependencies: false,
  },
};
