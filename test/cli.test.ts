import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { writeRaw, writeVariant } from "./helpers";

const bin = path.join(__dirname, "..", "bin", "course.js");
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

describe("malformed input gives a one-line error naming the problem and exit code 2", () => {
  const cases: [string, () => string, RegExp][] = [
    ["a file that is not JSON", () => writeRaw("not-json.ipynb", "def f():\n  pass\n"), /not valid JSON/],
    ["an nbformat 3 notebook", () => writeRaw("v3.ipynb", JSON.stringify({ nbformat: 3, worksheets: [] })), /nbformat 3/],
    ["a notebook with no code cells", () => writeRaw("01-prose.ipynb", JSON.stringify({ nbformat: 4, cells: [{ cell_type: "markdown", source: "hi" }] })), /no code cells/],
    ["a file that does not exist", () => "/nonexistent/01-missing.ipynb", /no such file/],
  ];
  test.each(cases)("%s", (_what, make, message) => {
    const r = run("grade", "--quiet", make());
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

test("grade prints the Part / Score / Feedback table and writes Gradescope results.json", () => {
  const json = path.join(path.dirname(writeVariant("01-cli.ipynb", {})), "results.json");
  const r = run("grade", "--quiet", "--json", json, path.join(path.dirname(json), "01-cli.ipynb"));
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/Part\s+│ Score\s+│ Feedback/);
  expect(r.stdout).toMatch(/Total\s+│ 100 \/ 100/);
  const results = JSON.parse(fs.readFileSync(json, "utf8"));
  expect(results.score).toBe(100);
  expect(results.tests).toHaveLength(5);
  for (const t of results.tests) expect(Object.keys(t)).toEqual(expect.arrayContaining(["name", "score", "max_score", "output", "visibility"]));
});

test.each(["grade", "build", "verify", "release", "gradescope"])("`course %s --help` describes the verb and lists the exit codes", (verb) => {
  const r = run(verb, "--help");
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^Usage: course /);
  expect(r.stdout).toContain("Exit codes: 0 done, 1 usage error (or verify found problems), 2 bad input, 3 internal error.");
});

test("usage errors exit 1 and bad arguments name the flag", () => {
  expect(run("grade").status).toBe(1);
  const r = run("grade", "--jobs", "0", "x.ipynb");
  expect(r.status).toBe(2);
  expect(r.stderr.trim()).toBe('course: --jobs needs a whole number ≥ 1, got "0"');
  expect(run("verify", "99-nope").stderr.trim()).toMatch(/^course: unknown section "99-nope"; sections: 01-single-unit-gd, /);
});
