// The instructor's commands end to end: a mixed batch graded in one command, the learner
// release, and the Gradescope bundle run against a fake /autograder tree.
import AdmZip from "adm-zip";
import { spawnSync } from "child_process";
import { parse } from "csv-parse/sync";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { anonymousId } from "../grader/batch";
import { main } from "../grader/cli";
import { buildNotebook, buildRelease, notebookJson } from "../grader/authoring";
import { loadExerciseSet } from "../grader/sections";
import type { Broken } from "./fixtures/broken/types";
import { sink, variants } from "./helpers";

const root = path.join(__dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "instructor-"));
const SECTIONS = ["01-single-unit-gd", "02-admissions", "03-not-network", "04-relu-2-3-1"];

/** 16 submissions: solutions, stubs, two kept broken versions of each of 03 and 04, a type error, a hang, and files that are not notebooks. */
function makeBatch(dir: string): Map<string, { status: string; total?: number | "partial" }> {
  fs.mkdirSync(dir, { recursive: true });
  const expect = new Map<string, { status: string; total?: number | "partial" }>();
  const put = (name: string, text: string, e: { status: string; total?: number | "partial" }) => {
    fs.writeFileSync(path.join(dir, `${name}.ipynb`), text);
    expect.set(name, e);
  };
  for (const s of SECTIONS) {
    put(`solution-${s}`, notebookJson(buildNotebook(variants(s).set, true)), { status: "ok", total: 100 });
    put(`stub-${s}`, fs.readFileSync(path.join(root, "notebooks", `${s}.ipynb`), "utf8"), { status: "ok", total: 0 });
  }
  for (const s of ["03-not-network", "04-relu-2-3-1"]) {
    const v = variants(s);
    const { broken }: { broken: Broken[] } = require(`./fixtures/broken/${s}`);
    broken.slice(0, 2).forEach((b, i) =>
      put(`broken-${s}-${i}`, fs.readFileSync(v.writeEdited(`b-${s}-${i}.ipynb`, b.cell, ...b.edits), "utf8"), {
        status: "ok",
        total: "partial",
      }),
    );
  }
  const v1 = variants("01-single-unit-gd");
  put(
    "type-error",
    fs.readFileSync(
      v1.writeVariant("te.ipynb", {
        weightStep:
          "function weightStep(x: number[], y: number, weights: number[], learnrate: number): number[] {\n  const s: string = learnrate;\n  return x;\n}",
      }),
      "utf8",
    ),
    { status: "type-error", total: 80 },
  );
  put(
    "hangs",
    fs.readFileSync(
      v1.writeVariant("hang.ipynb", {
        gradientDescentEpoch:
          "function gradientDescentEpoch(features: number[][], targets: number[], weights: number[], learnrate: number): number[] {\n  while (true) {}\n}",
      }),
      "utf8",
    ),
    { status: "timeout", total: 70 },
  );
  put("not-json", "this is not a notebook", { status: "not-a-notebook" });
  put("nbformat-3", JSON.stringify({ nbformat: 3, worksheets: [] }), { status: "not-a-notebook" });
  return expect;
}

test("a batch of 16 mixed submissions grades in one command into a correct gradebook, results and feedback", async () => {
  const dir = path.join(tmp, "submissions");
  const expected = makeBatch(dir);
  const [csv, json, feedback] = [
    path.join(tmp, "gradebook.csv"),
    path.join(tmp, "results"),
    path.join(tmp, "feedback"),
  ];
  const out = sink(),
    err = sink();
  const code = await main(
    ["node", "course", "grade", dir, "--jobs", "2", "--csv", csv, "--json", json, "--feedback", feedback],
    out,
    err,
  );
  expect(code).toBe(0);
  const rows: Record<string, string>[] = parse(fs.readFileSync(csv, "utf8"), { columns: true });
  expect(rows).toHaveLength(expected.size);
  for (const row of rows) {
    const e = expected.get(row.learner)!;
    expect([row.learner, row.status]).toEqual([row.learner, e.status]);
    if (e.total === "partial") {
      expect(Number(row.total)).toBeGreaterThan(0);
      expect(Number(row.total)).toBeLessThan(100);
    } else if (e.total !== undefined) expect([row.learner, Number(row.total)]).toEqual([row.learner, e.total]);
  }
  expect(rows.find((r) => r.learner === "solution-04-relu-2-3-1")!["04-relu-2-3-1:NeuralNetwork.train"]).toBe("30");
  expect(fs.readdirSync(json)).toHaveLength(expected.size);
  expect(fs.readdirSync(feedback)).toHaveLength(expected.size);
  expect(fs.readFileSync(path.join(feedback, "hangs.md"), "utf8")).toMatch(
    /\| ✗ gradientDescentEpoch \| 0 \/ 30 \| \[timeout\]/,
  );
  expect(expected.size).toBe(16);
  expect(err.text).toMatch(/\[#{30}\] 16\/16/);
  expect(out.text).toContain("16 graded: 12 ok, 1 type-error, 1 timeout, 2 not-a-notebook");
});

test("--anonymize gives each learner a stable id that does not contain the name, in every output", async () => {
  const dir = path.join(tmp, "anon");
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(root, "notebooks", "01-single-unit-gd.ipynb"), path.join(dir, "Jane Doe.ipynb"));
  fs.writeFileSync(path.join(dir, "x.ipynb"), "{}");
  const [csv, json, feedback] = ["anon.csv", "anon-results", "anon-feedback"].map((f) => path.join(tmp, f));
  await main(
    [
      "node",
      "course",
      "grade",
      dir,
      "--anonymize",
      "--quiet",
      "--csv",
      csv,
      "--json",
      json,
      "--feedback",
      feedback,
      "--jobs",
      "1",
    ],
    sink(),
    sink(),
  );
  const text = [
    fs.readFileSync(csv, "utf8"),
    ...[json, feedback].flatMap((d) => fs.readdirSync(d).flatMap((f) => [f, fs.readFileSync(path.join(d, f), "utf8")])),
  ].join("\n");
  expect(text).not.toContain("Jane");
  // Stable: the id is a function of the learner's id alone, the same in every run.
  const rows: Record<string, string>[] = parse(fs.readFileSync(csv, "utf8"), { columns: true });
  expect(rows.map((r) => r.learner).sort()).toEqual([anonymousId("Jane Doe"), anonymousId("x")].sort());
  expect(anonymousId("Jane Doe")).toMatch(/^anon-[0-9a-f]{10}$/);
});

test("the learner release holds notebooks, public checks, the helper and the data — no solutions, exercise sets or grader", async () => {
  const out = path.join(tmp, "student");
  expect(await main(["node", "course", "release", "--out", out], sink(), sink())).toBe(0);
  const all = spawnSync("find", [out, "-type", "f"], { encoding: "utf8" })
    .stdout.split("\n")
    .filter(Boolean)
    .map((f) => path.relative(out, f));
  for (const s of SECTIONS)
    expect(all).toEqual(expect.arrayContaining([`notebooks/${s}.ipynb`, `notebooks/checks/${s}.json`]));
  expect(all).toEqual(
    expect.arrayContaining([
      "notebooks/course.ts",
      "notebooks/course/random.ts",
      "notebooks/kernel/start.js",
      "notebooks/kernel/install.js",
      "data/admissions/binary.csv",
      "README.md",
      "package.json",
      "package-lock.json",
      ".gitignore",
    ]),
  );
  expect(all.filter((f) => /^(solutions|exercises|grader|test)\//.test(f) || f.endsWith(".spec.ts"))).toEqual([]);
  const err = sink();
  expect(await main(["node", "course", "release", "--out", out], sink(), err)).toBe(1);
  expect(err.text).toContain("exists and is not empty");
});

test("the release ships a lock that npm ci installs exactly: the tslab its patch fits, the patch applied, the addon built", () => {
  const out = path.join(tmp, "student");
  const lock = JSON.parse(fs.readFileSync(path.join(out, "package-lock.json"), "utf8"));
  const pkg = JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8"));
  expect(lock.packages[""].dependencies).toEqual(pkg.dependencies);
  // The registry's cache holds what the project installed: no network is needed, and none is used.
  const r = spawnSync("npm", ["ci", "--offline", "--no-audit", "--no-fund"], { cwd: out, encoding: "utf8" });
  expect([r.status, r.stderr.split("\n").filter((l) => /ERR/.test(l))]).toEqual([0, []]);
  const ours = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")).packages;
  for (const dep of ["tslab", "zeromq", "vega"])
    expect(JSON.parse(fs.readFileSync(path.join(out, "node_modules", dep, "package.json"), "utf8")).version).toBe(
      ours[`node_modules/${dep}`].version,
    );
  expect(fs.readFileSync(path.join(out, "node_modules/tslab/dist/converter.js"), "utf8")).toBe(
    fs.readFileSync(path.join(root, "node_modules/tslab/dist/converter.js"), "utf8"),
  );
  expect(fs.existsSync(path.join(out, "notebooks/course/native/build/course_blas.node"))).toBe(true);
  fs.rmSync(path.join(out, "node_modules"), { recursive: true });
});

test("a release that would ship a solution writes nothing and says how to fix it", () => {
  // A copy of the course whose 01 notebook was filled in by hand, as an instructor testing it might.
  const from = path.join(tmp, "course-copy");
  fs.mkdirSync(from);
  for (const f of ["package.json", "package-lock.json", "data", "patches"])
    fs.symlinkSync(path.join(root, f), path.join(from, f));
  fs.cpSync(path.join(root, "notebooks"), path.join(from, "notebooks"), { recursive: true });
  const S = "01-single-unit-gd";
  fs.writeFileSync(path.join(from, "notebooks", `${S}.ipynb`), notebookJson(buildNotebook(loadExerciseSet(S), true)));
  const out = path.join(tmp, "leaky", "student");
  expect(() => buildRelease(out, { from, server: "https://grader.example.org" })).toThrow(
    /nothing was written:\n.*a line of its solution appears in notebooks\/01-single-unit-gd\.ipynb[\s\S]*npx course build/,
  );
  expect(fs.readdirSync(path.join(tmp, "leaky"))).toEqual([]);
});

test("the Gradescope bundle's run_autograder grades a submission in a fake /autograder tree", async () => {
  const zip = path.join(tmp, "autograder.zip");
  expect(
    await main(["node", "course", "gradescope", "--section", "03-not-network", "--out", zip], sink(), sink()),
  ).toBe(0);
  const fake = path.join(tmp, "autograder");
  const bundle = new AdmZip(zip);
  // Gradescope runs both scripts as files: they must be executable as unzipped.
  for (const f of ["setup.sh", "run_autograder"])
    expect([f, ((bundle.getEntry(f)!.attr >>> 16) & 0o777).toString(8)]).toEqual([f, "755"]);
  expect(bundle.readAsText("setup.sh")).toMatch(/npm ci/);
  expect(bundle.readAsText("setup.sh")).not.toMatch(/\| *(ba)?sh/);
  bundle.extractAllTo(path.join(fake, "source"), true, true);
  fs.symlinkSync(path.join(root, "node_modules"), path.join(fake, "source", "node_modules")); // what setup.sh installs
  const run = (notebook: string | undefined) => {
    fs.rmSync(path.join(fake, "submission"), { recursive: true, force: true });
    fs.mkdirSync(path.join(fake, "submission"), { recursive: true });
    if (notebook !== undefined) fs.writeFileSync(path.join(fake, "submission", "my work.ipynb"), notebook);
    const r = spawnSync(path.join(fake, "source", "run_autograder"), [], {
      encoding: "utf8",
      env: { ...process.env, AUTOGRADER_ROOT: fake },
    });
    expect(r.status).toBe(0);
    return JSON.parse(fs.readFileSync(path.join(fake, "results", "results.json"), "utf8"));
  };
  const good = run(notebookJson(buildNotebook(variants("03-not-network").set, true)));
  expect([good.score, good.max_score, good.tests.length]).toEqual([100, 100, 8]);
  expect(run("garbage").output).toMatch(/^Your submission could not be graded: .*not a notebook/);
  expect(run(undefined).output).toMatch(/No \.ipynb file/);
  expect(fs.existsSync(path.join(fake, "source", "setup.sh"))).toBe(true);
});
