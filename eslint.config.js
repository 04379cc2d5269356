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

// Japan time in one module (ADR 035): no hand-written +9h offsets, "+09:00" strings, Asia/Tokyo
// formatters or toLocale*String dates outside app/lib/japan-time.ts.
const japanTimeSelectors = [
  {
    // 9 * 3600_000, 9 * 3600 * 1000, 9 * 60 * 60 * 1000 (left-associative: 9 is always innermost).
    selector: [3600000, 3600, 60]
      .map((n) => `BinaryExpression[operator='*'][left.value=9][right.value=${n}]`)
      .join(", "),
    message: "Japan time comes from ~/lib/japan-time, not a +9h offset.",
  },
  {
    selector: "Literal[value=/[+]09:?00/], TemplateElement[value.raw=/[+]09:?00/]",
    message: 'Japan time comes from ~/lib/japan-time (toTokyoIso, tokyoInstant), not a "+09:00" string.',
  },
  {
    selector: "Literal[value='Asia/Tokyo'], Property[key.name='timeZone']",
    message: "Japan time comes from ~/lib/japan-time (formatTokyo, TOKYO_TIME_ZONE), not its own formatter.",
  },
  {
    selector:
      "NewExpression[callee.property.name='DateTimeFormat'], CallExpression[callee.property.name=/^toLocale(Date|Time)String$/]",
    message: "Dates are formatted by ~/lib/japan-time (formatDateJa, formatTokyo …).",
  },
];

// Cookies one way (ADR 036): every Set-Cookie comes from app/lib/cookies.server.ts, which holds the
// names and flags; a string carrying cookie attributes anywhere else is a hand-built header.
const cookieSelectors = [
  {
    selector: "TemplateElement[value.raw=/HttpOnly|SameSite=|Max-Age=/]",
    message: "Build Set-Cookie headers with setCookie()/clearCookie() from app/lib/cookies.server.ts.",
  },
  {
    selector: "Literal[value=/HttpOnly|SameSite=|Max-Age=/]",
    message: "Build Set-Cookie headers with setCookie()/clearCookie() from app/lib/cookies.server.ts.",
  },
  {
    // React Router's own cookie helpers and the `cookie` package: a second registry of names and flags.
    selector: "ImportSpecifier[imported.name=/^createCookie/], ImportDeclaration[source.value='cookie']",
    message: "Cookies live in COOKIES (app/lib/cookies.server.ts): readCookie/setCookie, readJsonCookie/setJsonCookie.",
  },
];

// Forms through readForm (ADR 028): it answers a non-form, broken or oversized body with 400/413/415;
// request.formData() throws a 500 instead.
const formSelectors = [
  {
    selector: "CallExpression[callee.object.name='request'][callee.property.name='formData']",
    message: "Use readForm(request) from ~/lib/form-body.server (ADR 028): bad bodies get 400/415, not a 500.",
  },
];

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

  // CommonJS config files (.dependency-cruiser.cjs).
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { ...nodeGlobals, module: "writable", require: "readonly" } },
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

  // Japan time in one module (ADR 035), cookies one way (ADR 036) and forms through readForm (ADR 028), as one no-restricted-syntax
  // list: a later config's list would replace an earlier one for the same file, not add to it.
  // Tests may write instants as "…+09:00" literals: that is how a reader checks them.
  {
    files: ["{app,jobs,server,db,emails,scripts}/**/*.{ts,tsx}"],
    ignores: [
      "app/lib/japan-time.ts",
      "app/lib/cookies.server.ts",
      "app/lib/form-body.server.ts",
      "**/*.test.{ts,tsx}",
    ],
    rules: { "no-restricted-syntax": ["error", ...japanTimeSelectors, ...cookieSelectors, ...formSelectors] },
  },
  {
    files: ["app/lib/japan-time.ts"],
    rules: { "no-restricted-syntax": ["error", ...cookieSelectors, ...formSelectors] },
  },
  {
    files: ["app/lib/cookies.server.ts"],
    rules: { "no-restricted-syntax": ["error", ...japanTimeSelectors, ...formSelectors] },
  },
  {
    files: ["app/lib/form-body.server.ts"],
    rules: { "no-restricted-syntax": ["error", ...japanTimeSelectors, ...cookieSelectors] },
  },

  // One logger (ADR 035): app code logs through ~/lib/log.server (pino, redacted), never console.*.
  // The vendor CLI prints: its output is what the operator asked for.
  {
    files: ["{app,jobs,server,db}/**/*.{ts,tsx}"],
    ignores: ["**/*.test.{ts,tsx}", "app/features/vendor/vendor-cli.server.ts"],
    rules: { "no-console": "error" },
  },
]);
