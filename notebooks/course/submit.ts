// `await submit()`, the last cell of each section: sends this notebook, as saved on disk, to the
// course's grading service and shows its Part / Score / Feedback table under the cell. Submitting is a
// deliberate act: it sends only when its cell was run by itself (not by Run All, nor queued behind other
// cells). The first time, it asks for the learner's email and token in the frontend's input box (a
// password box for the token) and, once the service accepts them, saves them beside the notebooks
// (mode 600, ignored by git): a token never enters a notebook. It refuses to send a file that misses
// cells run since it was saved.
import { kernelDisplay } from "./display";
import { courseDir, load } from "./node";
import {
  noticeFrame,
  problemFrame,
  resultFrame,
  waitingFrame,
  type Frame,
  type SubmissionView,
} from "./shared/submit-view";

export interface SubmitOptions {
  /** Submit as another learner than the one saved (it asks for that learner's token). */
  email?: string;
  /** Never write a token in a notebook: submit() asks for it and refuses one given here. */
  token?: string;
  /** The section (default: the one this notebook's `checker("…")` named). */
  section?: string;
  /** The notebook file (default: the one Jupyter says is open, else `<section>.ipynb` here). */
  file?: string;
  /** The grading service (default: the one the course's release names). */
  server?: string;
  /** Send the saved file even if cells were run since it was saved. */
  anyway?: boolean;
}

interface Fs {
  existsSync(p: string): boolean;
  readFileSync(p: string): Uint8Array;
  readFileSync(p: string, encoding: "utf8"): string;
  writeFileSync(p: string, data: string, o: { mode: number }): void;
  statSync(p: string): { mtimeMs: number };
}
interface Path {
  join(...parts: string[]): string;
  resolve(...parts: string[]): string;
  basename(p: string): string;
}
interface Response {
  status: number;
  json(): Promise<unknown>;
}
type Fetch = (
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: Uint8Array; signal?: unknown },
) => Promise<Response>;
interface Saved {
  server: string;
  email: string;
  token: string;
  savedAt: string;
}
const proc = () => load<{ env: Record<string, string | undefined>; cwd(): string }>("process");
const sleep = (ms: number) =>
  new Promise<void>((r) => load<{ setTimeout(f: () => void, ms: number): void }>("timers").setTimeout(r, ms));
/** How long submit() waits for the grade before it says where to find it later. */
const WAIT_MS = 15 * 60 * 1000;

let lastSection: string | undefined;
/** checker("…") tells submit() which section this notebook is. */
export const rememberSection = (section: string): void => void (lastSection = section);

/** The grading service this copy of the course submits to: COURSE_SERVER, else the release's submit.json. */
export function configuredServer(fs = load<Fs>("fs"), path = load<Path>("path")): string | undefined {
  const fromEnv = proc().env.COURSE_SERVER;
  if (fromEnv) return fromEnv;
  const file = path.join(courseDir, "submit.json");
  if (!fs.existsSync(file)) return undefined;
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { server?: string }).server;
}

const tokenFile = (path: Path) => proc().env.COURSE_TOKEN_FILE ?? path.join(courseDir, "..", ".submit-token.json");

/** A cell as the course's kernel ran it (notebooks/kernel/cell-context.js). */
interface KernelRun {
  code: string;
  at: number;
  /** Its request came while another cell was running or waiting (Run All, or run behind a long cell). */
  queued: boolean;
  /** The frontend can answer input (a notebook UI; nbclient cannot). */
  stdin: boolean;
}
interface CourseKernel {
  runs: KernelRun[];
  input(prompt: string, o?: { password?: boolean }): Promise<string>;
}
const courseKernel = (): CourseKernel | undefined => (globalThis as { __courseKernel?: CourseKernel }).__courseKernel;
const kernelRuns = (): KernelRun[] => courseKernel()?.runs ?? [];

/**
 * The cells run after the file was saved whose code is not in it: what the learner would lose by
 * sending the file as saved. A cell run before the save is in the file or was replaced in it (a
 * learner who fixes a cell, reruns it and saves has nothing unsaved).
 */
export function unsavedRuns(
  notebookText: string,
  savedAt: number,
  runs: { code: string; at: number }[] = kernelRuns(),
): string[] {
  // The cell running now (this submit) is the last one the kernel took.
  const ran = runs.slice(0, -1).filter((r) => r.at > savedAt);
  const norm = (s: string) => s.replace(/\r\n/g, "\n").trim();
  const saved = new Set(
    ((JSON.parse(notebookText) as { cells?: { cell_type: string; source: string | string[] }[] }).cells ?? [])
      .filter((c) => c.cell_type === "code")
      .map((c) => norm(Array.isArray(c.source) ? c.source.join("") : c.source)),
  );
  return ran.map((r) => norm(r.code)).filter((code) => code && !saved.has(code) && !/\bsubmit\s*\(/.test(code));
}

const ago = (ms: number) =>
  ms < 90_000
    ? `${Math.round(ms / 1000)} s ago`
    : ms < 5_400_000
      ? `${Math.round(ms / 60_000)} min ago`
      : `${(ms / 3_600_000).toFixed(1)} h ago`;

/** What submit()'s stages share: the file system, and the cell's output (`fail`: a problem, shown once). */
interface Io {
  fs: Fs;
  path: Path;
  say(f: Frame, update?: boolean): void;
  fail(text: string): void;
}
interface Learner {
  email: string;
  token: string;
}
type Reply = { status: number; body: Record<string, unknown> };

export async function submit(o: SubmitOptions = {}): Promise<void> {
  const show = kernelDisplay();
  const say = (f: Frame, update = false) => (show ? show(f, update) : console.log(f["text/plain"]));
  const io: Io = { fs: load<Fs>("fs"), path: load<Path>("path"), say, fail: (text) => say(problemFrame(text)) };

  const server = (o.server ?? configuredServer(io.fs, io.path))?.replace(/\/+$/, "");
  if (!server)
    return io.fail(
      'this copy of the course names no grading service: use the release your instructor gave you, or pass { server: "https://…" }',
    );
  const section = o.section ?? lastSection;
  if (!section)
    return io.fail('which section is this? run the notebook\'s checker cell first, or pass { section: "01-…" }');
  if (o.token)
    return io.fail(
      "a token written in a notebook is sent and kept with it: delete it from this cell and run await submit(), which asks for it in a password box and keeps it outside the notebook",
    );
  // The cell running now (this submit) is the last one the kernel took.
  const run = kernelRuns().at(-1);
  if (run?.queued)
    return say(
      noticeFrame(
        "Not sent: this cell ran with others in one go (Run All, or behind a cell still running) — submitting is your decision: when the cells above have finished, save and run this cell by itself (Shift+Enter)",
      ),
    );
  const learner = await whoSubmits(o, server, run?.stdin === true, io);
  if (!learner) return;
  const file = savedNotebook(o, section, server, io);
  if (!file) return;
  await sendAndFollow(server, section, file, learner, io);
}

/** The learner's email and token: saved at their last submission to `server`, else asked for in the frontend. */
async function whoSubmits(o: SubmitOptions, server: string, canAsk: boolean, io: Io): Promise<Learner | undefined> {
  let saved: Saved | undefined;
  try {
    const all = JSON.parse(io.fs.readFileSync(tokenFile(io.path), "utf8")) as Saved[];
    saved = all.find((s) => s.server === server && (!o.email || s.email === o.email));
  } catch {
    saved = undefined;
  }
  let email = o.email ?? saved?.email,
    token = saved?.token;
  if (saved)
    console.log(
      `Using the token of ${saved.email} saved at your last successful submission (another learner: await submit({ email })).`,
    );
  else {
    const kernel = courseKernel();
    if (!kernel || !canAsk)
      return void io.fail(
        `no token saved for ${server} yet: run this cell in Jupyter (Notebook, Lab or VS Code), which asks for your email and token`,
      );
    try {
      email ??= (await kernel.input("Your email (the one your instructor has): ")).trim();
      token = (
        await kernel.input(`The token your instructor sent to ${email} (kept outside the notebook): `, {
          password: true,
        })
      ).trim();
    } catch (e) {
      return void io.fail(`not submitted: ${(e as Error).message}`);
    }
  }
  if (!email || !token)
    return void io.fail("not submitted: an email and a token are needed — run this cell again to give them");
  return { email, token };
}

/** The notebook as saved on disk (the one Jupyter has open, else the section's), unless cells ran since its save. */
function savedNotebook(
  o: SubmitOptions,
  section: string,
  server: string,
  { fs, path, fail }: Io,
): { file: string; bytes: Uint8Array } | undefined {
  const session = proc().env.JPY_SESSION_NAME,
    cwd = proc().cwd();
  const file = path.resolve(
    cwd,
    o.file ??
      (session && session.endsWith(".ipynb") && fs.existsSync(path.resolve(cwd, session))
        ? session
        : `${section}.ipynb`),
  );
  if (!fs.existsSync(file)) return void fail(`cannot find ${file}: save the notebook, or pass { file: "name.ipynb" }`);
  const bytes = fs.readFileSync(file);
  const savedAt = fs.statSync(file).mtimeMs;
  const unsaved = unsavedRuns(new TextDecoder().decode(bytes), savedAt);
  if (unsaved.length && !o.anyway)
    return void fail(
      `${path.basename(file)} was saved ${ago(Date.now() - savedAt)}, before ${unsaved.length} cell${unsaved.length > 1 ? "s" : ""} you ran: save it (Ctrl+S / ⌘S) and run this cell again (or pass { anyway: true } to send it as saved)`,
    );
  console.log(
    `Sending ${path.basename(file)} as saved at ${new Date(savedAt).toLocaleTimeString()} (${ago(Date.now() - savedAt)}) to ${server}.`,
  );
  return { file, bytes };
}

/** Sends the notebook, saves the token the service accepted, then shows the grading until its table. */
async function sendAndFollow(
  server: string,
  section: string,
  { file, bytes }: { file: string; bytes: Uint8Array },
  learner: Learner,
  io: Io,
): Promise<void> {
  const fetch = (globalThis as unknown as { fetch: Fetch }).fetch;
  const auth = { Authorization: `Basic ${Buffer.from(`${learner.email}:${learner.token}`).toString("base64")}` };
  const call = async (url: string, init: Parameters<Fetch>[1]): Promise<Reply> => {
    const r = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
    return { status: r.status, body: ((await r.json().catch(() => ({}))) ?? {}) as Record<string, unknown> };
  };
  let sent: Reply;
  try {
    const query = `section=${encodeURIComponent(section)}&file=${encodeURIComponent(io.path.basename(file))}`;
    sent = await call(`${server}/api/submissions?${query}`, {
      method: "POST",
      // X-Course-Client: the service takes changes with credentials only with a header a web page
      // on another site could not have set.
      headers: { ...auth, "Content-Type": "application/x-ipynb+json", "X-Course-Client": "submit" },
      body: bytes,
    });
  } catch (e) {
    return io.fail(
      `cannot reach the grading service at ${server} (${(e as Error).message}): check your connection, or ask your instructor whether it is running`,
    );
  }
  if (sent.status !== 202)
    return io.fail(`not submitted: ${String(sent.body.error ?? `the service answered ${sent.status}`)}`);
  saveToken(io.fs, io.path, { server, ...learner, savedAt: new Date().toISOString() });

  let s = sent.body as unknown as SubmissionView;
  const start = Date.now();
  io.say(waitingFrame(s, 0));
  while (s.state === "queued" || s.state === "grading") {
    if (Date.now() - start > WAIT_MS)
      return io.say(
        problemFrame(
          `still ${s.state} after ${WAIT_MS / 60000} min: your submission ${s.id} is safe; its grade will be on ${server}/`,
        ),
        true,
      );
    await sleep(1000);
    try {
      const r = await call(`${server}/api/submissions/${s.id}`, { headers: auth });
      if (r.status === 200) s = r.body as unknown as SubmissionView;
    } catch {
      // the service restarting: it keeps the submission; keep asking
    }
    const waiting = s.state === "queued" || s.state === "grading";
    io.say(waiting ? waitingFrame(s, (Date.now() - start) / 1000) : resultFrame(s), true);
  }
}

function saveToken(fs: Fs, path: Path, entry: Saved): void {
  let kept: Saved[];
  try {
    kept = (JSON.parse(fs.readFileSync(tokenFile(path), "utf8")) as Saved[]).filter((s) => s.server !== entry.server);
  } catch {
    kept = [];
  }
  fs.writeFileSync(tokenFile(path), JSON.stringify([...kept, entry], null, 1) + "\n", { mode: 0o600 });
}
