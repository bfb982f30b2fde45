// The batch pool's promises, with a fake worker (test/fakes/grade-worker.js) that crashes, hangs or
// grades by file name: every submission gets its row, in order, whatever the others did.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gradeBatch } from "./batch";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "batch-spec-"));
const files = ["a", "crash-1", "b", "once-2", "hang-3", "dup-x", "dup-y", "c"].map((n) => {
  const f = path.join(dir, `${n}.ipynb`);
  fs.writeFileSync(f, "{}");
  return f;
});
const worker = { module: path.join(__dirname, "..", "..", "test", "fakes", "grade-worker.js"), args: [] };

test("dead and stuck workers are replaced: every file gets its row, in order; a file that kills its worker twice is an error row", async () => {
  const progress: string[] = [];
  const results = await gradeBatch(files, {
    jobs: 2,
    worker,
    stuckAfterMs: 3000,
    onProgress: (_d, _t, r) => progress.push(r.learner),
  });
  expect(results.map((r) => [r.learner, r.status])).toEqual([
    ["a", "ok"],
    ["crash-1", "error"],
    ["b", "ok"],
    ["once-2", "ok"],
    ["hang-3", "error"],
    ["dup", "ok"],
    ["dup", "ok"],
    ["c", "ok"],
  ]);
  expect(results[1].error).toBe("the grading worker died while grading this submission (twice); it was not graded");
  expect(progress.sort()).toEqual(results.map((r) => r.learner).sort());
  expect(results.filter((r) => r.flags.length).map((r) => r.flags)).toEqual([
    ['duplicate-id: 2 submissions claim "dup"'],
    ['duplicate-id: 2 submissions claim "dup"'],
  ]);
  expect(new Set(results.map((r) => r.key)).size).toBe(files.length);
});

test("a file the machine was too busy to grade is graded again after a pause, and never scored when it stays busy", async () => {
  const busy = ["busyonce-1", "busy-2"].map((n) => {
    const f = path.join(dir, `${n}.ipynb`);
    fs.writeFileSync(f, "{}");
    return f;
  });
  const results = await gradeBatch(busy, { jobs: 2, worker, busyBackoffMs: 10 });
  expect(results.map((r) => [r.learner, r.status, r.report?.score])).toEqual([
    ["busyonce-1", "ok", 1],
    ["busy-2", "error", undefined],
  ]);
  expect(results[1].error).toBe(
    "not graded: the machine was too busy to grade fairly: the call of f took 20 s by the clock (3 tries)",
  );
});
