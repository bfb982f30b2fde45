// The grading service as its tests run it: the real `course serve` in its own process (and process
// group, with its grading workers) on 127.0.0.1 and a free port, a temp data folder, learners added
// to its store, and a small client of its API. Every service a test starts is stopped by the test.
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { importRoster, openStore } from "../../grader/service";
import { timeScale } from "../../grader/isolation";

const root = path.join(__dirname, "..", "..");
export const tmpDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

export interface Service {
  url: string;
  data: string;
  key: string;
  proc: ChildProcess;
  /** What the service wrote to stderr so far. */
  log(): string;
  /** SIGTERM, and the exit awaited (its gradings under way finish first). */
  stop(): Promise<void>;
  /** SIGKILL to the server process alone, as a crash: its workers must notice by themselves. */
  crash(): Promise<void>;
}

const started: { proc: ChildProcess }[] = [];
/** Whatever a test left running: SIGKILL to every process group a service led. */
export function killAll(): void {
  for (const s of started.splice(0))
    try {
      process.kill(-s.proc.pid!, "SIGKILL");
    } catch {
      // gone
    }
}

const exited = (p: ChildProcess) =>
  p.exitCode !== null || p.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => p.once("exit", () => r()));

/** Runs `course <args>` in its own process group until it prints its first line (its URL, or "ready"). */
async function startCourse(args: string[], env: NodeJS.ProcessEnv = {}) {
  const proc = spawn(process.execPath, [path.join(root, "bin", "course.js"), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  started.push({ proc });
  let err = "";
  proc.stderr!.on("data", (d) => (err += d));
  const first = await new Promise<string>((resolve, reject) => {
    let out = "";
    const limit = 120_000 * timeScale();
    const timer = setTimeout(() => reject(new Error(`course ${args[0]} did not start in 120 s:\n${err}`)), limit);
    proc.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) {
        clearTimeout(timer);
        resolve(out.split("\n")[0].trim());
      }
    });
    proc.once("exit", (code) => reject(new Error(`course ${args[0]} exited (${code}) before it was ready:\n${err}`)));
  });
  return { proc, first, log: () => err };
}

const keyFileOf = (args: string[], data: string) =>
  args.includes("--key-file") ? args[args.indexOf("--key-file") + 1] : path.join(data, "instructor.key");

export async function startService(
  o: { data?: string; args?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<Service> {
  const data = o.data ?? tmpDir("course-service-");
  const {
    proc,
    first: url,
    log,
  } = await startCourse(["serve", "--data", data, "--port", "0", ...(o.args ?? [])], o.env);
  const s: Service = {
    url,
    data,
    key: fs.readFileSync(keyFileOf(o.args ?? [], data), "utf8").trim(),
    proc,
    log,
    async stop() {
      proc.kill("SIGTERM");
      await exited(proc);
    },
    async crash() {
      proc.kill("SIGKILL");
      await exited(proc);
    },
  };
  return s;
}

/** Runs `f` against a service of its own (started with `args`), stopped afterwards whatever happened. */
export async function withService<T>(args: string[], f: (s: Service) => Promise<T>): Promise<T> {
  const s = await startService({ args });
  try {
    return await f(s);
  } finally {
    await s.stop();
  }
}

export interface Worker {
  proc: ChildProcess;
  log(): string;
  stop(): Promise<void>;
  /** SIGKILL to the worker and everything it started (its pool, the learner processes): a machine gone. */
  kill(): Promise<void>;
}
export async function startWorker(redis: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Worker> {
  const { proc, log } = await startCourse(["worker", "--redis", redis, ...args], env);
  return {
    proc,
    log,
    async stop() {
      proc.kill("SIGTERM");
      await exited(proc);
    },
    async kill() {
      try {
        process.kill(-proc.pid!, "SIGKILL");
      } catch {
        // gone
      }
      await exited(proc);
    },
  };
}

export interface Creds {
  email: string;
  token: string;
  name: string;
}
/** Adds learners to a service's store (as `course roster import` does) and returns their tokens. */
export async function addLearners(
  data: string,
  rows: { email: string; name: string }[],
  database?: string,
): Promise<Creds[]> {
  const store = await openStore(data, database);
  try {
    const csv = ["email,name", ...rows.map((r) => `${r.email},"${r.name.replace(/"/g, '""')}"`)].join("\n");
    return (await importRoster(store, csv, Date.now())).issued;
  } finally {
    await store.close();
  }
}

/** A learner's credentials as a script sends them (with the header every change needs beside them). */
export const basic = (c: { email: string; token: string }) => ({
  Authorization: `Basic ${Buffer.from(`${c.email}:${c.token}`).toString("base64")}`,
  "X-Course-Client": "test",
});
export const bearer = (key: string) => ({ Authorization: `Bearer ${key}`, "X-Course-Client": "test" });

export interface Answer {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const r = await fetch(url, init);
  const text = await r.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: r.status, body, text, headers: r.headers };
}

export function submit(
  s: Service,
  c: Creds,
  section: string,
  notebook: Buffer | string,
  file = `${section}.ipynb`,
): Promise<Answer> {
  return call(`${s.url}/api/submissions?section=${encodeURIComponent(section)}&file=${encodeURIComponent(file)}`, {
    method: "POST",
    headers: { ...basic(c), "Content-Type": "application/x-ipynb+json" },
    body: typeof notebook === "string" ? notebook : new Uint8Array(notebook),
  });
}

/** A submission sent at the socket level: its headers go at once, its body when finish() is called. */
export interface RawUpload {
  /** Sends the body (once); `sent` runs when its last byte is written. */
  finish(sent?: () => void): void;
  /** The answer; status 0 when the server closed the connection without one. */
  answer: Promise<{ status: number; text: string }>;
  /** Whether the server has answered or closed (before finish(): refused from the headers alone). */
  answered(): boolean;
}

/** A learner's upload to section `section`, with Content-Length unless `declareLength` is false (chunked). */
export function startUpload(
  s: { url: string },
  c: Creds,
  body: Buffer | string,
  o: { section?: string; declareLength?: boolean } = {},
): RawUpload {
  const u = new URL(`${s.url}/api/submissions?section=${encodeURIComponent(o.section ?? "01-single-unit-gd")}`);
  const length = o.declareLength === false ? {} : { "Content-Length": String(Buffer.byteLength(body)) };
  let done = false,
    started = false;
  let req!: http.ClientRequest;
  const answer = new Promise<{ status: number; text: string }>((resolve) => {
    const end = (status: number, text: string) => {
      if (!done) resolve({ status, text });
      done = true;
    };
    req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: "POST",
        headers: { ...basic(c), "Content-Type": "application/x-ipynb+json", ...length },
      },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => end(res.statusCode!, text));
        res.on("error", () => end(res.statusCode!, text));
      },
    );
    req.on("error", () => end(0, ""));
    req.flushHeaders();
  });
  return {
    answer,
    answered: () => done,
    finish: (sent) => {
      if (done || started) return;
      started = true;
      req.end(body, sent);
    },
  };
}

/** Polls a submission until it is graded or failed (a hang guard, not a measure: scaled, generous). */
export async function graded(s: Service, c: Creds, id: string, limitMs = 300_000): Promise<any> {
  const until = Date.now() + limitMs * timeScale();
  for (;;) {
    const r = await call(`${s.url}/api/submissions/${id}`, { headers: basic(c) });
    if (r.status !== 200) throw new Error(`GET /api/submissions/${id}: ${r.status} ${r.text}`);
    if (r.body.state === "graded" || r.body.state === "failed") return r.body;
    if (Date.now() > until) throw new Error(`${id} still ${r.body.state} after ${limitMs / 1000} s:\n${s.log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
