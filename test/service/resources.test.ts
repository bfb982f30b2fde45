// Memory and disk against a real `course serve` (issue 24, finding 3): the bytes of uploads in flight
// are capped (server-wide and per learner), so 20 learners each sending 3 notebooks of the maximum
// size at once leave the server's peak memory bounded; each learner's kept notebooks have a quota;
// and once graded, only each learner's best and last notebooks per section are kept (results all are).
import * as fs from "fs";
import * as path from "path";
import { notebookJson } from "../../grader/authoring";
import { variants } from "../helpers";
import {
  addLearners,
  basic,
  bearer,
  call,
  graded,
  killAll,
  startUpload,
  withService,
  submit,
  type Creds,
  type Service,
} from "./harness";

const S = "01-single-unit-gd";
const MB = 1048576;
afterAll(() => killAll());

/** The server process's peak and current resident memory, in MB (VmHWM, VmRSS). */
function memoryOf(pid: number): { peak: number; now: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(status)![1]);
  return { peak: kb("VmHWM") / 1024, now: kb("VmRSS") / 1024 };
}

/** One upload with its body, answered with a status, or "reset" when the server closed it first. */
async function upload(svc: Service, c: Creds, body: Buffer): Promise<number | "reset"> {
  const u = startUpload(svc, c, body);
  u.finish();
  const { status } = await u.answer;
  return status === 0 ? "reset" : status;
}

test("20 learners each sending 3 notebooks of the maximum size at once: the bytes in flight are capped, and so is the server's memory", async () => {
  await withService(
    ["--jobs", "1", "--max-notebook-mb", "16", "--max-in-flight-mb", "64", "--per-window", "100"],
    async (svc) => {
      const learners = await addLearners(
        svc.data,
        Array.from({ length: 20 }, (_, i) => ({ email: `m${i}@example.org`, name: `M ${i}` })),
      );
      // 16 MB, valid JSON, refused once read (nbformat 3): nothing is graded or stored.
      const pad = "x".repeat(16 * MB - 200);
      const body = Buffer.from(`{"nbformat":3,"metadata":{"pad":"${pad}"},"cells":[]}`);
      const before = memoryOf(svc.proc.pid!);
      const answers = await Promise.all(learners.flatMap((l) => [0, 1, 2].map(() => upload(svc, l, body))));
      const after = memoryOf(svc.proc.pid!);
      const read = answers.filter((a) => a === 400).length;
      const offered = answers.length * 16;
      process.stdout.write(
        `resources: 60 uploads of 16 MB (${offered} MB offered) at once: ${read} read and refused as nbformat 3, ${answers.filter((a) => a === 429).length} refused from their headers (429), ${answers.filter((a) => a === "reset").length} closed while sending; server RSS ${before.now.toFixed(0)} MB before, peak ${after.peak.toFixed(0)} MB (VmHWM)\n`,
      );
      expect(answers.every((a) => a === 400 || a === 429 || a === "reset")).toBe(true);
      expect(read).toBeGreaterThanOrEqual(4); // at least the first 64 MB were taken
      // Without the server-wide cap (each learner's 32 MB only) the peak here was 1.4 GB above the start.
      // A byte in flight costs up to ~8 at the peak (the body's chunks and their concatenation, the copy
      // to the reading thread, its text and parsed value, until collected): 64 MB of bodies, < 512 MB.
      expect(after.peak - before.now).toBeLessThan(8 * 64);
      const mine = await call(`${svc.url}/api/submissions`, { headers: basic(learners[0]) });
      expect(mine.body.submissions).toHaveLength(0);
    },
  );
});

test("a learner's kept notebooks have a quota, and only the best and the last --keep-notebooks per section are kept", async () => {
  await withService(["--jobs", "1", "--keep-notebooks", "1", "--max-kept-mb", "1"], async (svc) => {
    const [ada, bo] = await addLearners(svc.data, [
      { email: "ada@example.org", name: "Ada" },
      { email: "bo@example.org", name: "Bo" },
    ]);
    const filled = notebookJson(variants(S).filledNotebook());
    const stub = fs.readFileSync(path.join(__dirname, "..", "..", "notebooks", `${S}.ipynb`));
    const ids: string[] = [];
    for (const nb of [filled, stub, stub]) {
      const r = await submit(svc, ada, S, nb);
      expect(r.status).toBe(202);
      ids.push(r.body.id);
      await graded(svc, ada, r.body.id);
    }
    const got = await Promise.all(
      ids.map((id) => call(`${svc.url}/api/submissions/${id}/notebook`, { headers: bearer(svc.key) })),
    );
    // The best (the first, 100) and the last are kept; the second is not, and says so.
    expect(got.map((g) => g.status)).toEqual([200, 410, 200]);
    expect(got[1].body.error).toMatch(/was not kept \(course serve --keep-notebooks/);
    const second = await call(`${svc.url}/api/submissions/${ids[1]}`, { headers: basic(ada) });
    expect(second.body.result.score).toBe(0); // its result is kept

    // 0.6 MB of outputs: the first fits Bo's 1 MB, the second would pass it.
    const padded = JSON.parse(filled);
    padded.metadata.pad = "x".repeat(600_000);
    const big = JSON.stringify(padded);
    expect((await submit(svc, bo, S, big)).status).toBe(202);
    const over = await submit(svc, bo, S, big);
    expect(over.status).toBe(413);
    expect(over.body.error).toMatch(
      /your notebooks kept by the service take 1 MB, and this one would pass the 1 MB kept per learner/,
    );
  });
});
