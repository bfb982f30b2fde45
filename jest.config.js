/** @type {import('jest').Config} */
// NOTE: a test's timeout only stops a hang; it is no measure of speed (that is `npm run bench`). It is
// generous, and scaled like the grader's own limits by COURSE_TIME_SCALE for slow or busy machines.
const scale = Number(process.env.COURSE_TIME_SCALE || 1) > 0 ? Number(process.env.COURSE_TIME_SCALE || 1) : 1;
// The course's secret that variants are drawn with: the tests' own, never a checkout's `.course-secret`,
// and always the same, so that every run draws the same learners' variants.
if (!process.env.COURSE_SECRET_FILE) {
  const fs = require("fs");
  const dir = require("path").join(require("os").tmpdir(), "course-tests");
  fs.mkdirSync(dir, { recursive: true });
  process.env.COURSE_SECRET_FILE = require("path").join(dir, "course.secret");
  fs.writeFileSync(
    process.env.COURSE_SECRET_FILE,
    "the course kit's tests: a fixed secret, the same variants every run\n",
    {
      mode: 0o600,
    },
  );
}
module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": "ts-jest" },
  testMatch: ["**/*.spec.ts", "**/test/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/"],
  // 30 min: on a machine at a load of 8–14 (test/fairness.test.ts) a suite of many gradings takes 5–6× its idle time.
  testTimeout: Math.round(30 * 60_000 * scale),
  // Two suites at a time on the two cores: most suites wait on child processes (learner code, Jupyter).
  maxWorkers: 2,
};
