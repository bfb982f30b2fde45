// Runs inside the isolated child process (see run-isolated.ts). The parent bundles this file with
// ./child/ (child-bundle.ts) and starts it with `node -e`. It executes the learner's compiled cells
// the way tslab's executor does, then answers "call" requests with plain data only. It never
// receives an expected value, and it talks to the grader on two private pipes (fd 3 in, fd 4 out)
// that learner code cannot reach: no IPC channel, no stdio streams, no handle lists.
import * as vm from "vm";
import type { Outcome, ToChild } from "./protocol";
import { receive, send } from "./channel";
import { describeError } from "./errors";
import { loadAddonThenLock, lockDown } from "./lockdown";
import { createLearnerModules, type CallPath } from "./modules";
import { answerValue, outcomeOf, trustNDArray, watchMathjs } from "./plain";

// NOTE: like tslab, declarations live on one shared `exports` object and later cells read them
// as `exports.name`, so a later definition overrides an earlier one, as in the kernel.
const exportsObj: Record<string, unknown> = {};
const cellExports = new Proxy(exportsObj, {
  defineProperty: (_t, prop, attrs) => {
    if (prop !== "__esModule") exportsObj[prop as string] = attrs.get ? attrs.get() : attrs.value;
    return true;
  },
});

/** The course's call path, captured (and frozen) at preload, before any learner code. */
let course: CallPath | undefined;

async function load(msg: Extract<ToChild, { type: "load" }>) {
  let learnerRequire: (id: string) => unknown;
  try {
    const addon = loadAddonThenLock(msg.addon);
    lockDown();
    const modules = createLearnerModules(msg.root, new Map(msg.side.map((s) => [s.path, s.data])), addon);
    course = modules.preload({ ndarray: trustNDArray });
    watchMathjs(modules.mathjs);
    learnerRequire = modules.learnerRequire;
  } catch (e) {
    return send({ type: "startFailed", message: describeError(e).message });
  }
  const errors: { cell: number; message: string }[] = [];
  for (const c of msg.cells) {
    send({ type: "cell", cell: c.cell });
    try {
      const wrapped = `(${c.topLevelAwait ? "async " : ""}function (exports, require) { ${c.js}\n})`;
      await vm.runInThisContext(wrapped, { filename: `cell ${c.cell}` })(cellExports, learnerRequire);
    } catch (e) {
      const d = describeError(e);
      errors.push({ cell: c.cell, message: d.message ? `${d.name}: ${d.message}` : `threw ${d.name}` });
    }
  }
  send({ type: "loaded", errors });
}

function call(msg: Extract<ToChild, { type: "call" }>) {
  const reply = (outcome: Outcome) => send({ type: "result", id: msg.id, outcome });
  const { target } = msg;
  if (target.kind === "answer") return reply(answerValue(exportsObj[msg.name]));
  let value: unknown;
  try {
    value = course!.invokePart(
      exportsObj,
      { name: msg.name, ...(target.kind === "method" ? { method: { stateFields: target.fields } } : {}) },
      msg.args,
    );
  } catch (e) {
    if (e instanceof course!.NotDefined) return reply({ kind: "missing", message: missingText(e) });
    return reply({ kind: "threw", error: describeError(e) });
  }
  reply(outcomeOf(value));
}

/** A name a part calls that is not there, in the words the grader shows (replies.ts checks them). */
function missingText(e: { kind: string; what: string; found: string }): string {
  if (e.kind === "class")
    return e.found === "undefined" ? `class \`${e.what}\` not found` : `\`${e.what}\` is a ${e.found}, not a class`;
  return e.found === "undefined" ? "not found" : `is a ${e.found}, not a function`;
}

function handle(msg: ToChild) {
  if (msg.type === "load") load(msg).catch((e) => send({ type: "startFailed", message: describeError(e).message }));
  else if (msg.type === "call") call(msg);
  else if (msg.type === "ping") send({ type: "pong", id: msg.id }); // the event loop still turns after the top-level code
}

receive(handle);
// A learner's stray async error (a timer that throws, a rejected promise nobody awaits) must not
// end the process for every later call.
process.on("uncaughtException", () => undefined);
process.on("unhandledRejection", () => undefined);
send({ type: "ready" });
