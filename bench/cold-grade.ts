// `npm run bench` (part 2b): what one `course grade` costs as a new process — as Gradescope, `course
// verify` and an instructor's single run pay it — per section, for a solution-filled notebook:
//   cold cache  — the grader's disk cache empty (the first grade ever on a machine),
//   setup cache — the cache as `npm run setup` leaves it (every given and solution cell converted),
//   new cells   — the same with every solution cell changed (a learner's own code: those cells miss).
// Wall seconds (the clock), CPU seconds of the whole machine (grader, its thread and the learner's
// process), and the grader's peak memory, read by Python's getrusage around `node bin/course.js`.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildNotebook, notebookJson } from "../grader/authoring";
import { listSections, loadExerciseSet } from "../grader/sections";
import { busyCpuSeconds } from "./cpu";
import { asSetupLeavesIt } from "./setup-cache";

const root = path.join(__dirname, "..");
const MEASURE = `
import json, resource, subprocess, sys, time
t = time.time()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
print(json.dumps({"wall": time.time() - t, "rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "code": r.returncode, "err": r.stderr.decode()[-300:]}))`;

function gradeOnce(file: string, env: NodeJS.ProcessEnv) {
  const c0 = busyCpuSeconds();
  const out = spawnSync(
    "/usr/bin/python3",
    ["-c", MEASURE, process.execPath, "bin/course.js", "grade", "--quiet", file],
    {
      cwd: root,
      env,
      encoding: "utf8",
    },
  );
  const m = JSON.parse(out.stdout) as { wall: number; rss: number; code: number; err: string };
  if (m.code !== 0) throw new Error(`course grade ${file} exited ${m.code}: ${m.err}`);
  return { wall: m.wall, cpu: busyCpuSeconds() - c0, mb: m.rss / 1024 };
}

/** The solution-filled notebook with a comment added to every cell that defines a function (a learner's own text). */
function changed(json: string): string {
  const nb = JSON.parse(json) as { cells: { cell_type: string; source: string | string[] }[] };
  for (const c of nb.cells) {
    const src = Array.isArray(c.source) ? c.source.join("") : c.source;
    if (c.cell_type === "code" && /\bfunction\b/.test(src))
      c.source = `${src}\n// written by a learner ${Math.random()}\n`;
  }
  return JSON.stringify(nb);
}

const fmt = (r: { wall: number; cpu: number; mb: number }) =>
  `${r.wall.toFixed(1).padStart(5)} s ${r.cpu.toFixed(1).padStart(5)} CPU-s ${r.mb.toFixed(0).padStart(4)} MB`;

(() => {
  asSetupLeavesIt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cold-"));
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cache-"));
  console.log(
    "`course grade` of one solution-filled notebook, a new process each time (wall, whole-machine CPU, peak memory)",
  );
  console.log(
    `${"section".padEnd(20)}  ${"cold cache".padEnd(26)}  ${"setup cache".padEnd(26)}  new cells (learner's own)`,
  );
  for (const s of listSections()) {
    const file = path.join(dir, `${s}.ipynb`),
      mine = path.join(dir, `${s}-mine.ipynb`);
    const json = notebookJson(buildNotebook(loadExerciseSet(s), true));
    fs.writeFileSync(file, json);
    fs.writeFileSync(mine, changed(json));
    fs.rmSync(empty, { recursive: true, force: true });
    const cold = gradeOnce(file, { ...process.env, COURSE_CACHE_DIR: empty });
    const cached = gradeOnce(file, process.env);
    const learner = gradeOnce(mine, process.env);
    console.log(`${s.padEnd(20)}  ${fmt(cold)}  ${fmt(cached)}  ${fmt(learner)}`);
  }
  console.log();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(empty, { recursive: true, force: true });
})();
