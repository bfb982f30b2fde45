// Per-learner variants end to end (section 03: the starting neuron and the chain-rule statements'
// letters): `course release --roster` writes each learner's own notebooks; `course grade` (one file,
// a roster's batch, Gradescope's bundle) grades against the owner's variant, whatever the notebook
// says; a classmate's copy fails the varied answers and says so without naming whose; the personal
// notebook runs in the course's kernel with its own public checks.
import AdmZip from "adm-zip";
import { spawnSync } from "child_process";
import { parse } from "csv-parse/sync";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildNotebook, notebookJson } from "../grader/authoring";
import { main } from "../grader/cli";
import { closeTypeChecker } from "../grader/pipeline";
import { expectedAnswer, learnerVariant, loadExerciseSet, loadSolution, variantSet } from "../grader/sections";
import { sink } from "./helpers";
import { execute, jupyterWithKernel, stream } from "./jupyter-run";

const root = path.join(__dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "variants-"));
const S = "03-not-network";
const full = loadExerciseSet(S);
const solution = loadSolution(S);
const ANA = "ana@example.org",
  BO = "bo@example.org";
const roster = path.join(tmp, "learners.csv");
fs.writeFileSync(roster, `email,name\nAna@Example.org,Ana\n${BO},Bo\n`);
const secretFile = path.join(tmp, "secret", "course.secret");
const before = process.env.COURSE_SECRET_FILE;
beforeAll(() => {
  // A fixed secret: every run draws the same variants for Ana and Bo (whose chain-rule keys differ).
  fs.mkdirSync(path.dirname(secretFile), { recursive: true });
  fs.writeFileSync(secretFile, "the variants test's own course secret, fixed\n", { mode: 0o600 });
  process.env.COURSE_SECRET_FILE = secretFile;
});
afterAll(() => {
  process.env.COURSE_SECRET_FILE = before;
  closeTypeChecker();
});

const secret = () => fs.readFileSync(secretFile, "utf8").trim();
const variantOf = (email: string) => learnerVariant(full, { id: email, secret: secret() })!;
/** The learner's own notebook with the solution filled in: what a learner who did everything right hands in. */
const solvedBy = (email: string) => {
  const v = variantOf(email);
  return notebookJson(buildNotebook(variantSet(full, v.params), true, v));
};
const answerOf = (email: string, part: string) =>
  expectedAnswer(
    solution,
    variantSet(full, variantOf(email).params).parts.find((p) => p.name === part)!,
  );
const out = path.join(tmp, "release");
const walk = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

test("course release --roster writes a bundle per learner: their numbers in the text and the code, their public checks, the data linked, the secret in no bundle", async () => {
  expect(await main(["node", "course", "release", "--roster", roster, "--out", out], sink(), sink())).toBe(0);
  expect(fs.readdirSync(out).sort()).toEqual([ANA, BO]);
  const notebooks = [ANA, BO].map((email) => {
    const v = variantOf(email);
    const nb = fs.readFileSync(path.join(out, email, "notebooks", `${S}.ipynb`), "utf8");
    const { w, b } = v.params as { w: number; b: number };
    expect(nb).toContain(full.variants!.describe(v.params)); // "w¹ = 0.63, b¹ = −0.94" in the question
    expect(nb).toContain(`descend(${w}, ${b}, 0.5, 60)`); // and in the code
    expect(nb).toContain(`checker(\\"${S}\\", \\"${v.code}\\")`);
    const checks = JSON.parse(
      fs.readFileSync(path.join(out, email, "notebooks", "checks", `${S}.${v.code}.json`), "utf8"),
    );
    expect(checks.parts.find((p: any) => p.name === "a1").cases[0].args).toEqual([w, b, 1]);
    expect(nb).not.toContain(String(answerOf(email, "answer_C0")).slice(0, 8)); // the answer itself is not given
    return nb;
  });
  expect(notebooks[0]).not.toBe(notebooks[1]);
  // The other sections and the data are the shared bundle's, linked: a class costs one copy.
  const data = (email: string) => fs.statSync(path.join(out, email, "data", "admissions", "binary.csv"));
  expect(data(ANA).ino).toBe(data(BO).ino);
  for (const f of walk(out)) expect([f, fs.readFileSync(f, "utf8").includes(secret())]).toEqual([f, false]);
  // The same roster and secret give the same notebooks.
  const again = path.join(tmp, "release-again");
  expect(await main(["node", "course", "release", "--roster", roster, "--out", again], sink(), sink())).toBe(0);
  expect(fs.readFileSync(path.join(again, ANA, "notebooks", `${S}.ipynb`), "utf8")).toBe(notebooks[0]);
});

test("a release with no course secret yet makes one, readable by its owner only, and says where", async () => {
  const other = path.join(tmp, "new-secret", "course.secret");
  process.env.COURSE_SECRET_FILE = other;
  const err = sink();
  try {
    const code = await main(
      ["node", "course", "release", "--roster", roster, "--out", path.join(tmp, "r2")],
      sink(),
      err,
    );
    expect(code).toBe(0);
  } finally {
    process.env.COURSE_SECRET_FILE = secretFile;
  }
  expect(err.text).toContain(`made the course secret in ${other}`);
  expect(fs.statSync(other).mode & 0o777).toBe(0o600);
  expect(fs.readFileSync(other, "utf8")).toMatch(/^[0-9a-f]{64}\n$/);
});

/** `course grade FILE --learner EMAIL` with Gradescope's results.json read back. */
async function gradeAs(file: string, ...who: string[]) {
  const json = path.join(tmp, `results-${path.basename(file)}.json`);
  const code = await main(
    ["node", "course", "grade", file, "--section", S, ...who, "--json", json, "--quiet"],
    sink(),
    sink(),
  );
  expect(code).toBe(0);
  return JSON.parse(fs.readFileSync(json, "utf8"));
}
const testOf = (r: any, part: string) => r.tests.find((t: any) => t.name.startsWith(part));

test("a learner's notebook is graded against their own numbers: 100 % for them; handed in by a classmate, its varied answers fail and say so without naming whose", async () => {
  const file = path.join(tmp, "anas-work.ipynb");
  fs.writeFileSync(file, solvedBy(ANA));
  expect((await gradeAs(file, "--learner", ANA)).score).toBe(100);
  const copied = await gradeAs(file, "--learner", BO);
  // Their keys differ (with this secret) in both varied answers: the copy can pass neither.
  for (const part of ["answer_C0", "answer_chainRule"])
    expect(JSON.stringify(answerOf(ANA, part))).not.toBe(JSON.stringify(answerOf(BO, part)));
  expect(copied.score).toBeLessThan(100);
  for (const part of ["answer_C0", "answer_chainRule"]) {
    const t = testOf(copied, part);
    expect(t.score).toBeLessThan(t.max_score);
    expect(t.output).toMatch(/right for another variant's numbers, not for yours \(w¹ = .*, b¹ = .*\)/);
  }
  expect(testOf(copied, "a1").score).toBe(testOf(copied, "a1").max_score); // her functions are right for anyone
  const text = JSON.stringify(copied);
  expect(text).not.toMatch(/ana/i);
  expect(text).not.toContain(String(answerOf(BO, "answer_C0")).slice(0, 7)); // nor Bo's hidden answer
  // Without a learner, the notebook is graded as the course's shared one: her answers are not its answers.
  expect((await gradeAs(file)).score).toBeLessThan(100);
});

test("course grade --roster grades a folder of learners' notebooks against each owner's variant; a file of no learner on the roster is an error row", async () => {
  const dir = path.join(tmp, "submissions");
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, `${ANA}.ipynb`), solvedBy(ANA));
  fs.writeFileSync(path.join(dir, `${BO}.ipynb`), solvedBy(ANA)); // Bo hands in Ana's
  fs.writeFileSync(path.join(dir, "stranger@example.org.ipynb"), solvedBy(BO));
  const csv = path.join(tmp, "gradebook.csv");
  const o = sink();
  expect(
    await main(["node", "course", "grade", dir, "--roster", roster, "--csv", csv, "--jobs", "2", "--quiet"], o, sink()),
  ).toBe(0);
  const rows: Record<string, string>[] = parse(fs.readFileSync(csv, "utf8"), { columns: true });
  const row = (id: string) => rows.find((r) => r.learner === id)!;
  expect(Number(row(ANA).total)).toBe(100);
  expect(Number(row(BO).total)).toBeLessThan(100);
  expect(Number(row(BO)["03-not-network:answer_C0"])).toBe(0);
  expect(row("stranger@example.org").status).toBe("error");
  expect(o.text).toMatch(/stranger@example\.org +error +not on the roster/);
});

test("Gradescope: the bundle of a varying section grades each submission against its submitter's own numbers (their email in submission_metadata.json)", async () => {
  const zip = path.join(tmp, "autograder.zip");
  expect(await main(["node", "course", "gradescope", "--section", S, "--out", zip], sink(), sink())).toBe(0);
  const fake = path.join(tmp, "autograder");
  const bundle = new AdmZip(zip);
  expect(bundle.readAsText(".course-secret").trim()).toBe(secret());
  bundle.extractAllTo(path.join(fake, "source"), true, true);
  fs.symlinkSync(path.join(root, "node_modules"), path.join(fake, "source", "node_modules")); // what setup.sh installs
  fs.mkdirSync(path.join(fake, "submission"));
  fs.writeFileSync(path.join(fake, "submission", "03-not-network.ipynb"), solvedBy(ANA));
  const submitter = (email: string) => {
    const metadata = { users: [{ email: email.toUpperCase(), name: "Someone", sid: "1" }], assignment: { title: S } };
    fs.writeFileSync(path.join(fake, "submission_metadata.json"), JSON.stringify(metadata));
    const r = spawnSync(path.join(fake, "source", "run_autograder"), [], {
      encoding: "utf8",
      env: { ...process.env, AUTOGRADER_ROOT: fake },
    });
    expect(r.status).toBe(0);
    return JSON.parse(fs.readFileSync(path.join(fake, "results", "results.json"), "utf8"));
  };
  expect(submitter(ANA).score).toBe(100);
  const bo = submitter(BO);
  expect(bo.score).toBeLessThan(100);
  expect(testOf(bo, "answer_C0").output).toMatch(/right for another variant's numbers/);
});

test("the personal notebook runs in the course's kernel: its public checks are the learner's own; without its checks file the checker says where to get them", () => {
  const jupyterPath = jupyterWithKernel();
  const v = variantOf(ANA);
  const checks = path.join(root, "notebooks", "checks", `${S}.${v.code}.json`);
  fs.copyFileSync(path.join(out, ANA, "notebooks", "checks", `${S}.${v.code}.json`), checks);
  let run;
  try {
    run = execute(jupyterPath, JSON.parse(solvedBy(ANA)), "variant-ana", false);
  } finally {
    fs.rmSync(checks, { force: true });
  }
  const printed = run.nb.cells.map((c: any) => stream(c)).join("");
  expect(printed).toMatch(/✓ a1: 1\/1 public checks pass/);
  expect(printed).toMatch(/✓ answer_C0: answered/);
  expect(printed).not.toMatch(/✗/);
  const { w, b } = v.params as { w: number; b: number };
  const C = ((Math.tanh(b) - 1) ** 2 + Math.tanh(w + b) ** 2) / 2;
  expect(printed).toContain(`cost ${C.toFixed(4)} at the start`); // the descent starts from her neuron
  const missing = execute(jupyterPath, JSON.parse(solvedBy(ANA)), "variant-no-checks", true);
  const errors = missing.nb.cells.map((c: any) => stream(c, "stderr")).join("");
  expect(errors).toMatch(
    new RegExp(
      `your own numbers \\(variant ${v.code}\\).*notebooks/checks/${S}\\.${v.code}\\.json, are not here — download them`,
    ),
  );
});
