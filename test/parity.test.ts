// The notebook's `check` and the grader's learner process call parts through the same course code
// (notebooks/course/shared/invoke.ts), so on the same notebook their verdicts on the public cases agree. The
// notebook side runs the cells with tslab's own executor (the kernel's, in this process); the grader
// side grades the same file. Per section, one notebook with a kept broken version of many parts.
import * as fs from "fs";
import * as path from "path";
import { closeTypeChecker, gradeNotebook } from "../grader/pipeline";
import type { Broken } from "./fixtures/broken/types";
import { variants } from "./helpers";

const notebooks = path.join(__dirname, "..", "notebooks");
afterAll(() => closeTypeChecker());

/** Runs a notebook's code cells (but demonstrations and checks) with tslab's executor; returns its definitions. */
async function runInTslab(file: string): Promise<Record<string, any>> {
  const tsForTslab = require(
    require.resolve("@tslab/typescript-for-tslab", { paths: [path.dirname(require.resolve("tslab/package.json"))] }),
  );
  const { createConverter } = require("tslab/dist/converter"),
    { createExecutor } = require("tslab/dist/executor");
  const original = tsForTslab.sys.getCurrentDirectory;
  tsForTslab.sys.getCurrentDirectory = () => notebooks; // the converter's folder, without chdir (as typecheck-worker.ts)
  const conv = createConverter();
  tsForTslab.sys.getCurrentDirectory = original;
  const errors: string[] = [];
  const executor = createExecutor(
    notebooks,
    { node: conv, browser: conv, close: () => conv.close() },
    { log: () => undefined, error: (...a: unknown[]) => errors.push(a.join(" ")) },
  );
  try {
    for (const c of JSON.parse(fs.readFileSync(file, "utf8")).cells.filter((c: any) => c.cell_type === "code")) {
      const src = [].concat(c.source).join("");
      if (/\bdemo\(|^check\(/.test(src)) continue; // demonstrations (trainings, plots) and checks: not definitions
      if (!(await executor.execute(src)))
        throw new Error(`tslab could not run a cell: ${errors.join("\n")}\n${src.slice(0, 300)}`);
    }
    await executor.execute(
      `import { publicParts, publicVerdicts } from "./course";\nconst parity = { publicParts, publicVerdicts };`,
    );
    return executor.locals;
  } finally {
    executor.close();
  }
}

describe.each(["01-single-unit-gd", "03-not-network", "04-relu-2-3-1", "05-mnist"])("section %s", (section) => {
  const v = variants(section);
  // Section 01 keeps no broken versions of its own: two from test/grade.test.ts.
  const { broken }: { broken: Broken[] } =
    section === "01-single-unit-gd"
      ? {
          broken: [
            {
              part: "sigmoidPrime",
              why: "1 + σ",
              cell: "sigmoidPrime",
              edits: [["sigmoid(h) * (1 - sigmoid(h))", "sigmoid(h) * (1 + sigmoid(h))"]],
            },
            {
              part: "weightStep",
              why: "no η",
              cell: "weightStep",
              edits: [["learnrate * errorTerm(x, y, weights)", "errorTerm(x, y, weights)"]],
            },
          ],
        }
      : require(`./fixtures/broken/${section}`);
  const chosen = [...new Map(broken.map((b) => [b.cell, b])).values()]; // one per declaration: two would edit the same cell

  test("the notebook's check and the grader give the same verdict on every public case of every part", async () => {
    const file = v.writeManyEdited(`parity-${section}.ipynb`, chosen);
    const parts = v.set.parts.filter((p) => !p.answer && p.name !== "multiLayerNetwork");
    const defs = await runInTslab(file);
    // Each side's verdict on each public case: "pass" or "fail", keyed "part / case".
    const inNotebook: Record<string, string> = {};
    for (const p of parts) {
      const verdicts = defs.parity.publicVerdicts(
        defs.parity.publicParts(section).find((c: { name: string }) => c.name === p.name),
        defs,
      );
      for (const c of p.publicCases)
        inNotebook[`${p.name} / ${c.label}`] =
          Array.isArray(verdicts) && verdicts.find((x: { label: string }) => x.label === c.label)?.ok ? "pass" : "fail";
    }
    const report = await gradeNotebook(file, { parts: parts.map((p) => p.name) });
    const inGrader: Record<string, string> = {};
    for (const p of parts) {
      const lines = report.parts.find((r) => r.name === p.name)!.feedback;
      const all = lines.some((l) => l.startsWith("every case"));
      for (const c of p.publicCases)
        inGrader[`${p.name} / ${c.label}`] =
          all || lines.some((l) => l.startsWith(`public case "${c.label}"`)) ? "fail" : "pass";
    }
    expect(inGrader).toEqual(inNotebook);
    expect(Object.keys(inNotebook)).toHaveLength(parts.reduce((n, p) => n + p.publicCases.length, 0));
  });
});
