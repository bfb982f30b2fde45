// ESLint (typescript-eslint's recommended rules, without type information: fast enough for every CI run).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import rooms from "./scripts/lint/rooms.mjs";

// The map of grader/ (docs/design.md): which room may import which. Every room also keeps its front door
// (index.ts); see scripts/lint/rooms.mjs.
const shared = "notebooks/course/shared";
const allow = {
  "grader/cache": [],
  "grader/isolation": ["grader/isolation/child", "grader/cache", shared],
  "grader/isolation/child": [shared],
  "grader/sections": [shared],
  "grader/pipeline": ["grader/isolation", "grader/sections", "grader/cache", shared],
  "grader/batch": ["grader/pipeline", "grader/isolation", "grader/sections", shared],
  "grader/authoring": ["grader/pipeline", "grader/sections", shared],
  "grader/integrity": ["grader/pipeline", "grader/sections", "grader/authoring", shared],
  "grader/service": [
    "grader/pipeline",
    "grader/batch",
    "grader/sections",
    "grader/isolation",
    "grader/integrity",
    "grader/authoring",
    shared,
  ],
  "grader/service/store": [],
  "grader/service/queue": ["grader/service/store"],
  "grader/service/policy": ["grader/service/store"],
  "grader/service/lti": ["grader/service/store", "grader/service/policy"],
  "grader/service/http": [
    "grader/service/store",
    "grader/service/queue",
    "grader/service/policy",
    "grader/service/lti",
  ],
  "grader/service/commands": [
    "grader/service/http",
    "grader/service/lti",
    "grader/service/store",
    "grader/service/queue",
    "grader/service/policy",
  ],
  "grader/cli": [
    "grader/pipeline",
    "grader/isolation",
    "grader/sections",
    "grader/authoring",
    "grader/batch",
    "grader/service",
    "grader/integrity",
  ],
};

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "notebooks/course/native/build/", "**/*.tmp.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    rules: {
      // `any` only where it is the honest type, each with a reason (eslint-disable-next-line … -- why).
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // CommonJS `require` is how the course's files and the learner's process load modules at run time.
      "@typescript-eslint/no-require-imports": "off",
      "no-empty": ["error", { allowEmptyCatch: true }],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        process: "readonly",
        __dirname: "readonly",
        console: "readonly",
        Buffer: "readonly",
        SharedArrayBuffer: "readonly",
        Atomics: "readonly",
        setImmediate: "readonly",
      },
    },
  },
  {
    // The service pages' one script runs in the browser.
    files: ["grader/service/http/static/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: {
        document: "readonly",
        location: "readonly",
        fetch: "readonly",
        URLSearchParams: "readonly",
        setTimeout: "readonly",
        console: "readonly",
      },
    },
  },
  {
    // A solution's parameters are the course's signatures (the stubs learners fill in): an unused one
    // (linearDer's cache, linearBackward's b) is part of the exercise, not a mistake.
    files: ["solutions/**/*.ts"],
    rules: { "@typescript-eslint/no-unused-vars": ["error", { args: "none", varsIgnorePattern: "^_" }] },
  },
  {
    // Specs and tests may use `any` for fixtures and values read back from JSON.
    files: ["**/*.spec.ts", "test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    plugins: { rooms },
    rules: { "rooms/boundaries": ["error", { allow, openTo: { [shared]: "notebooks" } }] },
  },
);
