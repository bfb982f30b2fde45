// Forty submissions from ten learners at once, of two sections, good and broken: every one is
// graded, each result equals grading that notebook alone, and the gradebook keeps each learner's best.
import * as fs from "fs";
import * as path from "path";
import { closeTypeChecker, gradeNotebook } from "../../grader/pipeline";
import type { Broken } from "../fixtures/broken/types";
import { variants } from "../helpers";
import { addLearners, bearer, call, graded, killAll, startService, submit } from "./harness";

const root = path.join(__dirname, "..", "..");
const S1 = "01-single-unit-gd",
  S4 = "04-relu-2-3-1";
const v1 = variants(S1),
  v4 = variants(S4);
const broken4: Broken[] = require("../fixtures/broken/04-relu-2-3-1").broken;
const file = (p: string) => fs.readFileSync(p, "utf8");
/** The distinct notebooks: [section, name, path]. */
const notebooks: [string, string, string][] = [
  [S1, "01 filled", v1.writeVariant("conc-01-filled.ipynb", {})],
  [S1, "01 stub", path.join(root, "notebooks", `${S1}.ipynb`)],
  [
    S1,
    "01 sigmoidPrime wrong",
    v1.writeEdited("conc-01-prime.ipynb", "sigmoidPrime", ["(1 - sigmoid(h))", "(1 + sigmoid(h))"]),
  ],
  [
    S1,
    "01 epoch without 1/m",
    v1.writeEdited("conc-01-epoch.ipynb", "gradientDescentEpoch", ["learnrate / m", "learnrate"]),
  ],
  [S4, "04 filled", v4.writeVariant("conc-04-filled.ipynb", {})],
  [S4, "04 stub", path.join(root, "notebooks", `${S4}.ipynb`)],
  ...broken4
    .slice(0, 3)
    .map((b, i): [string, string, string] => [
      S4,
      `04 ${b.why}`,
      v4.writeEdited(`conc-04-b${i}.ipynb`, b.cell, ...b.edits),
    ]),
];

afterAll(() => {
  killAll();
  closeTypeChecker();
});

test("40 submissions from 10 learners at once: each graded as if alone, best scores kept", async () => {
  // What each notebook gets graded alone, in this process.
  const alone = new Map<string, { score: number; parts: [string, number, string][] }>();
  for (const [section, name, p] of notebooks) {
    const r = await gradeNotebook(p, { section });
    alone.set(name, { score: r.score, parts: r.parts.map((x) => [x.name, x.points, x.status]) });
  }
  const svc = await startService({ args: ["--jobs", "2", "--per-window", "10", "--max-pending", "10"] });
  try {
    const learners = await addLearners(
      svc.data,
      Array.from({ length: 10 }, (_, i) => ({ email: `learner${i}@example.org`, name: `Learner ${i}` })),
    );
    // Learner i sends four notebooks, picked round the list from i: both sections, good and broken.
    const plan = learners.flatMap((l, i) =>
      [0, 1, 2, 3].map((k) => ({ l, nb: notebooks[(i + k * 2) % notebooks.length] })),
    );
    const t0 = Date.now();
    const answers = await Promise.all(plan.map((p) => submit(svc, p.l, p.nb[0], file(p.nb[2]))));
    expect(answers.map((a) => a.status)).toEqual(plan.map(() => 202));
    const results = await Promise.all(answers.map((a, i) => graded(svc, plan[i].l, a.body.id, 600_000)));
    process.stdout.write(`concurrency: 40 submissions graded in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    results.forEach((r, i) => {
      const want = alone.get(plan[i].nb[1])!;
      expect({ nb: plan[i].nb[1], score: r.result.score }).toEqual({ nb: plan[i].nb[1], score: want.score });
      expect(
        r.result.parts.map((p: { name: string; score: number; status: string }) => [p.name, p.score, p.status]),
      ).toEqual(want.parts);
    });
    // The gradebook: per learner and section, the best of their scores and how many they sent.
    const book = (await call(`${svc.url}/api/gradebook`, { headers: bearer(svc.key) })).body.rows;
    for (const l of learners)
      for (const section of [S1, S4]) {
        const mine = plan
          .map((p, i) => ({ p, r: results[i] }))
          .filter(({ p }) => p.l.email === l.email && p.nb[0] === section);
        const row = book.find((b: { email: string; section: string }) => b.email === l.email && b.section === section);
        if (!mine.length) {
          expect(row).toBeUndefined();
          continue;
        }
        expect(row.attempts).toBe(mine.length);
        expect(row.best.score).toBe(Math.max(...mine.map(({ r }) => r.result.score)));
      }
  } finally {
    await svc.stop();
  }
});
