// ESLint flat config (ESLint 10). `npm run lint` runs `eslint . --max-warnings=0`, so every warning
// fails CI: rules are either errors or off, never left at "warn" by accident.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

// Node globals for the few plain-JS files (this config, scripts/*.mjs). The `globals` package is not
// a dependency, so the handful actually used is listed here. TypeScript files need none: the
// typescript-eslint preset turns `no-undef` off for them, because tsc already checks names.
const nodeGlobals = Object.fromEntries(
  [
    "process",
    "console",
    "Buffer",
    "URL",
    "URLSearchParams",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "setImmediate",
    "queueMicrotask",
    "structuredClone",
    "globalThis",
    "fetch",
    "AbortController",
    "TextEncoder",
    "TextDecoder",
  ].map((name) => [name, "readonly"]),
);

const unusedVars = [
  "error",
  {
    args: "after-used",
    argsIgnorePattern: "^_",
    varsIgnorePattern: "^_",
    caughtErrors: "all",
    caughtErrorsIgnorePattern: "^_",
    destructuredArrayIgnorePattern: "^_",
    ignoreRestSiblings: true,
  },
];

// `let x; function stop() { x?.close(); } … x = await start();` stays `let`: a `const` declared
// after the function that reads it would throw (temporal dead zone) if the function ran first,
// e.g. a signal handler during start-up (scripts/demo.ts).
const preferConst = ["error", { ignoreReadBeforeAssign: true }];

export default defineConfig([
  globalIgnores([
    "build/",
    ".react-router/",
    "node_modules/",
    "db/migrations/",
    "playwright-report/",
    "test-results/",
    ".tmp/",
  ]),

  // Plain JavaScript (config files, scripts/*.mjs): the core recommended rules only.
  {
    files: ["**/*.{js,mjs,cjs}"],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: nodeGlobals },
    rules: { "no-unused-vars": unusedVars, "prefer-const": preferConst },
  },

  // TypeScript and TSX: core recommended + typescript-eslint recommended (syntax only, not
  // type-aware: `npm run typecheck` covers types) + the React hooks rules.
  {
    files: ["**/*.{ts,tsx,mts,cts}"],
    extends: [js.configs.recommended, tseslint.configs.recommended, reactHooks.configs.flat.recommended],
    rules: {
      "@typescript-eslint/no-unused-vars": unusedVars,
      "prefer-const": preferConst,
    },
  },

  // ADR 028: actions read forms through readForm (app/lib/form-body.server.ts), which answers a
  // non-form, broken or oversized body with 400/413/415; request.formData() throws a 500 instead.
  {
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='request'][callee.property.name='formData']",
          message: "Use readForm(request) from ~/lib/form-body.server (ADR 028): bad bodies get 400/415, not a 500.",
        },
      ],
    },
  },
]);
