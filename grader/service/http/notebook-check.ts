// Whether an upload is a notebook the grader can read, decided off the event loop: parsing a 60 MB
// body (or a JSON bomb of millions of empty objects) takes seconds of CPU, and on the server's own
// thread every other learner's request would wait for it. The grader's own load and extract stages
// run in worker threads (load-notebook.ts refuses bombs by depth and count before parsing).
import * as path from "path";
import { Worker } from "worker_threads";

/** A notebook the grader can read, and the section (of those given) its `checker("…")` cell names, if one. */
export type NotebookVerdict = { ok: true; checker?: string } | { ok: false; reason: string };

export interface NotebookCheck {
  /** The grader's one-line reason when `bytes` is not a notebook it can grade. */
  check(bytes: Buffer, fileName: string): Promise<NotebookVerdict>;
  close(): Promise<void>;
}

// Runs in each thread: the pipeline's two stages through tsx, as the rest of the course's code. NOTE:
// their files, not the pipeline's front door, which would load the type-checker (TypeScript) too.
const THREAD = `
const { parentPort, workerData } = require("worker_threads");
require("tsx/cjs/api").register();
const { InputError } = require(workerData.pipeline + "/errors.ts");
const { checkerSection, extractCode } = require(workerData.pipeline + "/extract.ts");
const { loadNotebook } = require(workerData.pipeline + "/load-notebook.ts");
parentPort.on("message", ({ id, bytes, fileName }) => {
  try {
    const cells = extractCode(loadNotebook(fileName, () => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")));
    parentPort.postMessage({ id, ok: true, checker: checkerSection(cells, workerData.sections) });
  } catch (e) {
    parentPort.postMessage({ id, ok: false, reason: e instanceof InputError ? e.message : undefined });
  }
});
`;

interface Thread {
  worker: Worker;
  pending: Map<number, (v: NotebookVerdict) => void>;
}

/** `sections`: the course's, which a notebook's checker cell may name (the grader's detectSection rule). */
export function createNotebookCheck(o: { sections: string[]; threads?: number }): NotebookCheck {
  const threads: (Thread | undefined)[] = new Array(o.threads ?? 2).fill(undefined);
  let nextId = 0;
  const unreadable: NotebookVerdict = {
    ok: false,
    reason: "the notebook could not be read (its structure is too large): clear its outputs, save, and submit again",
  };

  function start(slot: number): Thread {
    const worker = new Worker(THREAD, {
      eval: true,
      workerData: { pipeline: path.join(__dirname, "..", "..", "pipeline"), sections: o.sections },
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
    });
    const t: Thread = { worker, pending: new Map() };
    worker.unref();
    worker.on("message", (m: { id: number; ok: boolean; reason?: string; checker?: string }) => {
      const done = t.pending.get(m.id);
      t.pending.delete(m.id);
      done?.(
        m.ok
          ? { ok: true, ...(m.checker ? { checker: m.checker } : {}) }
          : m.reason
            ? { ok: false, reason: m.reason }
            : unreadable,
      );
    });
    // A thread that dies (out of memory on a pathological body) refuses what it held; the next upload starts another.
    const lost = () => {
      if (threads[slot] === t) threads[slot] = undefined;
      for (const done of t.pending.values()) done(unreadable);
      t.pending.clear();
    };
    worker.on("error", lost);
    worker.on("exit", lost);
    return (threads[slot] = t);
  }

  return {
    check(bytes, fileName) {
      // The thread with the least waiting work (started if its slot is empty).
      let slot = 0;
      for (let i = 0; i < threads.length; i++)
        if ((threads[i]?.pending.size ?? 0) < (threads[slot]?.pending.size ?? 0)) slot = i;
      const t = threads[slot] ?? start(slot);
      const id = nextId++;
      return new Promise((resolve) => {
        t.pending.set(id, resolve);
        t.worker.postMessage({ id, bytes, fileName });
      });
    },
    async close() {
      await Promise.all(threads.map((t) => t?.worker.terminate()));
    },
  };
}
