/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": "ts-jest" },
  testMatch: ["**/*.spec.ts", "**/test/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 120000,
  // Two suites at a time on the two cores: most suites wait on child processes (learner code, Jupyter).
  maxWorkers: 2,
};
