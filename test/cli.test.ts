// The `course` command line: exit codes, one-line errors, the table and results.json, --help. Most
// run `main` in this process; one runs the installed `bin/course.js` to prove the wiring.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { main } from "../grader/cli";
import { closeTypeChecker } from "../grader/pipeline";
import { sink, writeRaw, writeVariant } from "./helpers";

afterAll(() => closeTypeChecker());
async function course(...args: string[]) {
  const out = sink(),
    err = sink();
  const status = await main(["node", "course", ...args], out, err);
  return { status, stdout: out.text, stderr: err.text };
}

describe("malformed input gives a one-line error naming the problem and exit code 2", () => {
  const cases: [string, () => string, RegExp][] = [
    ["a file that is not JSON", () => writeRaw("not-json.ipynb", "def f():\n  pass\n"), /not valid JSON/],
    [
      "an nbformat 3 notebook",
      () => writeRaw("v3.ipynb", JSON.stringify({ nbformat: 3, worksheets: [] })),
      /nbformat 3/,
    ],
    [
      "a notebook with no code cells",
      () =>
        writeRaw("01-prose.ipynb", JSON.stringify({ nbformat: 4, cells: [{ cell_type: "markdown", source: "hi" }] })),
      /no code cells/,
    ],
    ["a file that does not exist", () => "/nonexistent/01-missing.ipynb", /no such file/],
  ];
  test.each(cases)("%s", async (_what, make, message) => {
    const r = await course("grade", "--quiet", make());
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

test("the installed command exits with the code main returns and writes the one-line error to stderr", () => {
  const r = spawnSync(
    process.execPath,
    [path.join(__dirname, "..", "bin", "course.js"), "grade", "--quiet", writeRaw("not-json-bin.ipynb", "nope")],
    { encoding: "utf8" },
  );
  expect([r.status, r.stderr.trim().split("\n").length]).toEqual([2, 1]);
  expect(r.stderr).toMatch(/^course: .*not valid JSON/);
});

test("grade prints the Part / Score / Feedback table and writes Gradescope results.json", async () => {
  const json = path.join(path.dirname(writeVariant("01-cli.ipynb", {})), "results.json");
  const r = await course("grade", "--quiet", "--json", json, path.join(path.dirname(json), "01-cli.ipynb"));
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/Part\s+│ Score\s+│ Feedback/);
  expect(r.stdout).toMatch(/Total\s+│ 100 \/ 100/);
  const results = JSON.parse(fs.readFileSync(json, "utf8"));
  expect(results.score).toBe(100);
  expect(results.tests).toHaveLength(5);
  for (const t of results.tests)
    expect(Object.keys(t)).toEqual(expect.arrayContaining(["name", "score", "max_score", "output", "visibility"]));
});

test.each(["grade", "build", "verify", "release", "gradescope", "kernel"])(
  "`course %s --help` describes the verb and lists the exit codes",
  async (verb) => {
    const r = await course(verb, "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: course /);
    expect(r.stdout).toContain(
      "Exit codes: 0 done, 1 usage error (or verify found problems), 2 bad input, 3 internal error.",
    );
  },
);

test("usage errors exit 1 and bad arguments name the flag", async () => {
  expect((await course("grade")).status).toBe(1);
  const r = await course("grade", "--jobs", "0", "x.ipynb");
  expect(r.status).toBe(2);
  expect(r.stderr.trim()).toBe('course: --jobs needs a whole number ≥ 1, got "0"');
  expect((await course("verify", "99-nope")).stderr.trim()).toMatch(
    /^course: unknown section "99-nope"; sections: 01-single-unit-gd, /,
  );
  expect((await course("gradescope")).stderr).toMatch(/required option '--section <name>'/);
});
