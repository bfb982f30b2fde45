// `course release`: the learner bundle — stub notebooks, public checks, the learner helper, the
// data and a README. No solutions, exercise sets or grader; checked for leaks before it is done.
import * as fs from "fs";
import * as path from "path";
import {
  learnerVariant,
  listSections,
  loadExerciseSet,
  loadSolution,
  projectRoot,
  variantSet,
  varyingSets,
} from "../sections";
import { checksFileName } from "../../notebooks/course/shared";
import { buildNotebook, notebookJson, publicChecksJson } from "./notebook-build";
import { learnerLock } from "./learner-lock";
import { checkLeaks } from "./verify";

const LEARNER_DEPS = [
  "tslab",
  "mathjs",
  "vega",
  "vega-lite",
  "csv-parse",
  "random-js",
  "d3-contour",
  "pngjs",
  "@resvg/resvg-js",
  "patch-package",
];
/** What learners' `npm install` runs too: the tslab fix in patches/, then building the BLAS addon from its source. */
const LEARNER_POSTINSTALL = "patch-package && node notebooks/course/native/build.js";

/**
 * Writes the bundle to `out`, or nothing at all: it is built in a folder beside `out` and moved into
 * place only once its leak check passes (a failed release leaves no solution or token on disk).
 */
export function buildRelease(
  out: string,
  o: { server?: string; from?: string; roster?: { emails: string[]; secret: string } } = {},
): { files: string[]; learners?: number } {
  if (fs.existsSync(out) && fs.readdirSync(out).length)
    throw new Error(`release: ${out} exists and is not empty; pass another --out or remove it`);
  const server = o.server === undefined ? undefined : serverUrl(o.server);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const building = fs.mkdtempSync(`${path.resolve(out)}.partial-`);
  try {
    const made: { files: string[]; learners?: number } = o.roster
      ? personalBundles(building, o.from ?? projectRoot, server, o.roster)
      : writeBundle(building, o.from ?? projectRoot, server);
    fs.chmodSync(building, 0o777 & ~process.umask()); // as mkdir would have made it, not mkdtemp's 700
    if (fs.existsSync(out)) fs.rmdirSync(out);
    fs.renameSync(building, out);
    return made;
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
  }
}

/** The bundle in `out`, from the course at `from` (the project; a test's altered copy). */
function writeBundle(out: string, from: string, server: string | undefined): { files: string[] } {
  const files: string[] = [];
  const copy = (rel: string) => {
    const dest = path.join(out, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(path.join(from, rel), dest);
    files.push(rel);
  };
  const walk = (rel: string): string[] =>
    fs
      .readdirSync(path.join(from, rel), { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(rel, e.name)) : [path.join(rel, e.name)]));
  for (const s of listSections()) {
    copy(`notebooks/${s}.ipynb`);
    copy(`notebooks/checks/${s}.json`);
  }
  copy("notebooks/course.ts");
  // Not the specs, and not the addon built here: each learner's install builds it for their machine.
  for (const f of walk("notebooks/course"))
    if (!f.endsWith(".spec.ts") && !f.includes(`native${path.sep}build${path.sep}`)) copy(f);
  // The course's Jupyter kernel, registered by `npm run kernel` (not its specs).
  for (const f of walk("notebooks/kernel")) if (!f.endsWith(".spec.ts")) copy(f);
  for (const f of walk("data")) copy(f);
  for (const f of walk("patches")) copy(f);
  const pkg = JSON.parse(fs.readFileSync(path.join(from, "package.json"), "utf8"));
  if (pkg.scripts.postinstall !== LEARNER_POSTINSTALL)
    throw new Error(
      `release: package.json's postinstall is "${pkg.scripts.postinstall}"; the learner bundle expects "${LEARNER_POSTINSTALL}"`,
    );
  const learnerPkg = {
    name: "neural-networks-by-doing",
    private: true,
    description: "Notebooks of graded exercises (tslab TypeScript kernel)",
    scripts: { postinstall: LEARNER_POSTINSTALL, kernel: "node notebooks/kernel/install.js" },
    dependencies: Object.fromEntries(LEARNER_DEPS.map((d) => [d, pkg.dependencies[d]])),
  };
  write("package.json", JSON.stringify(learnerPkg, null, 2) + "\n");
  const lock = JSON.parse(fs.readFileSync(path.join(from, "package-lock.json"), "utf8"));
  write(
    "package-lock.json",
    JSON.stringify(learnerLock(lock, learnerPkg.name, learnerPkg.dependencies), null, 2) + "\n",
  );
  write("README.md", learnerReadme(server));
  // The grading service that submit() sends to; the learner's saved token stays out of version control.
  if (server) write("notebooks/course/submit.json", JSON.stringify({ server }, null, 1) + "\n");
  write(".gitignore", "node_modules/\n.submit-token.json\nnotebooks/.submit-token.json\n");
  function write(rel: string, text: string) {
    fs.writeFileSync(path.join(out, rel), text);
    files.push(rel);
  }

  const texts = files
    .filter((f) => /\.(ipynb|json|ts|js|md|csv)$/.test(f))
    .map((f) => ({ name: f, text: fs.readFileSync(path.join(out, f), "utf8") }));
  const leaks = listSections().flatMap((s) => checkLeaks(loadExerciseSet(s), loadSolution(s), texts));
  if (leaks.length)
    throw new Error(
      `release: hidden values or solutions would be shipped, so nothing was written:\n  ${leaks.join("\n  ")}\n` +
        "A notebook edited by hand: regenerate it from exercises/ and solutions/ (npx course build). Text in exercises/ that quotes a hidden value or a solution's line: change it there, run npx course build, and release again.",
    );
  return { files };
}

/**
 * One bundle per learner of the roster, in `out/<email>/`: the shared bundle (its files hard-linked,
 * so a class costs one copy of the data) with each varying section's notebook and public checks for
 * that learner's own numbers. Each learner's files are checked for leaks of their own hidden values.
 */
function personalBundles(
  out: string,
  from: string,
  server: string | undefined,
  roster: { emails: string[]; secret: string },
): { files: string[]; learners: number } {
  const shared = path.join(out, ".shared");
  const { files } = writeBundle(shared, from, server);
  const varying = varyingSets();
  const written: string[] = [];
  for (const email of roster.emails) {
    const dir = path.join(out, email);
    for (const f of files) linkOrCopy(path.join(shared, f), path.join(dir, f));
    const texts: { name: string; text: string }[] = [];
    const leaks: string[] = [];
    for (const full of varying) {
      const variant = learnerVariant(full, { id: email, secret: roster.secret })!;
      const set = variantSet(full, variant.params);
      const nb = { name: `notebooks/${set.section}.ipynb`, text: notebookJson(buildNotebook(set, false, variant)) };
      const checks = {
        name: `notebooks/checks/${checksFileName(set.section, variant.code)}`,
        text: publicChecksJson(set),
      };
      for (const f of [nb, checks]) {
        fs.rmSync(path.join(dir, f.name), { force: true }); // a link to the shared file: replaced, not written through
        fs.writeFileSync(path.join(dir, f.name), f.text);
        texts.push(f);
        written.push(path.join(email, f.name));
      }
      leaks.push(...checkLeaks(set, loadSolution(set.section), texts));
    }
    if (leaks.length)
      throw new Error(
        `release: ${email}'s notebooks would show hidden values, so nothing was written:\n  ${leaks.join("\n  ")}`,
      );
  }
  fs.rmSync(shared, { recursive: true });
  return { files: written, learners: roster.emails.length };
}

function linkOrCopy(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to); // another file system, or one without hard links
  }
}

/** The service's address as submit() uses it: http(s), no trailing slash. */
function serverUrl(given: string): string {
  let u: URL;
  try {
    u = new URL(given);
  } catch {
    throw new Error(`release: --server ${given} is not a URL (e.g. https://grader.example.org)`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new Error(`release: --server must be an http:// or https:// address, got ${given}`);
  return u.toString().replace(/\/+$/, "");
}

function learnerReadme(server: string | undefined): string {
  return `# Neural networks by doing — notebooks

\`\`\`bash
sudo apt-get install libopenblas0-pthread     # optional (Debian/Ubuntu): section 05 trains in seconds, not minutes
npm install                                   # the kernel and the libraries the notebooks use
npm run kernel                                # register the course's kernel with Jupyter: "Neural networks (TypeScript)"
jupyter lab notebooks/                        # or open notebooks/ in VS Code
\`\`\`

Open the notebooks in order (01 … ${listSections().length.toString().padStart(2, "0")}). In each, replace every
\`throw new Error("not implemented yet")\` with your code (and every \`null\` answer with your
answer), then run the \`check("…")\` cell under it: ✓ means the public checks pass. Your
submission is graded on more, hidden checks; their feedback tells you what is wrong and gives a
hint. The notebooks import their helper as \`./course\` and read \`data/\`, so keep the folders
as they are.

${
  server
    ? `To submit, save the notebook and run its last cell, \`await submit()\`, by itself (Run All does not
submit): it sends the notebook as saved to the course's grading service (${server}) and shows your
Part / Score / Feedback table under the cell. The first time, it asks for your email and the token
your instructor sent you (in a password box: never write the token in a notebook); it keeps them in
\`notebooks/.submit-token.json\`, readable by you only and ignored by git. You can also upload the
\`.ipynb\` and see every submission at ${server}/. Submit as often as you like: only your highest
score counts.`
    : "Submit the `.ipynb` file as your instructor tells you."
}
`;
}
