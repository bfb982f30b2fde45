#!/usr/bin/env node
// The course's Jupyter kernel: tslab, with its TypeScript converter moved into a worker thread.
// NOTE: tslab keeps its compiler (~130 MB of live objects) in the kernel's heap, and every garbage
// collection that a training loop's temporaries trigger marks all of it: MNIST trained 2× slower in
// the kernel than in a plain process. In a worker thread the compiler has a heap of its own, and the
// notebook's heap holds the learner's data only. tslab's executor calls its converter synchronously;
// so does this proxy: it posts the call and sleeps in Atomics.wait until the worker answers.
// Usage (kernel.json, see install.js): node [V8 flags] start.js {connection_file}
"use strict";
const fs = require("fs");
const path = require("path");
const { MessageChannel, Worker, receiveMessageOnPort } = require("worker_threads");
const { createCachedConverter } = require("./cached-converter");
const { cacheRoot } = require("./disk-cache");
const { createCellContext } = require("./cell-context");

const notebooks = path.resolve(__dirname, "..");
// tslab and its converter as the notebooks resolve them (the course's node_modules).
const fromNotebooks = (id) => require.resolve(id, { paths: [notebooks] });

function createThreadConverter(options) {
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  const worker = new Worker(path.join(__dirname, "converter-thread.js"), {
    workerData: { port: port2, signal, options },
    transferList: [port2],
  });
  worker.unref();
  let closed = false;
  const call = (method, ...args) => {
    if (closed) throw new Error("the TypeScript converter is closed");
    Atomics.store(flag, 0, 0);
    port1.postMessage({ method, args });
    let reply;
    while (!(reply = receiveMessageOnPort(port1))) Atomics.wait(flag, 0, 0, 1000);
    const r = reply.message;
    if (!r.ok) throw new Error(`tslab's converter failed: ${r.message}`);
    return r.value;
  };
  return {
    convert: (prevDecl, src) => call("convert", prevDecl, src),
    inspect: (prevDecl, src, position) => call("inspect", prevDecl, src, position),
    complete: (prevDecl, src, position) => call("complete", prevDecl, src, position),
    addModule: (name, src, meta) => call("addModule", name, src, meta),
    close: () => {
      if (!closed) {
        call("close");
        closed = true;
      }
    },
  };
}

// `import * as math from "mathjs"` in a cell gets the course's mathjs (mathjs.js), as when graded.
require("./route-mathjs").routeMathjs(require("module"), notebooks, path.join(__dirname, "mathjs.js"));

// tslab's kernel looks its converter up on this module object when it first needs one. In a folder of
// the course's notebooks (its helper, course.ts, beside them: this copy's or a release's), the
// TypeScript converter answers from the conversions cache it shares with the grader
// (cached-converter.js), starting the thread only for a cell converted nowhere before.
require(fromNotebooks("tslab/dist/converter")).createConverter = (options) => {
  const start = () => createThreadConverter(options);
  const dir = process.cwd();
  const cacheable = fs.existsSync(path.join(dir, "course.ts")) && !options?.isJS && !options?.isBrowser;
  return cacheable ? createCachedConverter(start, { dir, root: cacheRoot(), counts: conversionCounts }) : start();
};
const conversionCounts = { cached: 0, compiled: 0 };

const { JupyterHandlerImpl } = require(fromNotebooks("tslab/dist/jupyter"));
// The language the kernel reports is the notebooks' language_info exactly (grader/authoring/notebook-build.ts):
// tslab says TypeScript "3.7.2" whatever it runs, and Jupyter then marks every notebook modified as it opens.
const handleKernel = JupyterHandlerImpl.prototype.handleKernel;
const typescriptVersion = require(
  require.resolve("@tslab/typescript-for-tslab/package.json", {
    paths: [path.dirname(fromNotebooks("tslab/package.json"))],
  }),
).version;
JupyterHandlerImpl.prototype.handleKernel = function (...args) {
  const reply = handleKernel.apply(this, args);
  reply.language_info.version = typescriptVersion;
  return reply;
};
// What submit() asks about the running cell: was it run alone, can the frontend answer input (cell-context.js).
const { ZmqServer } = require(fromNotebooks("tslab/dist/jupyter"));
// And how this kernel's cells were converted: from the cache, or by the compiler.
globalThis.__courseKernel = { ...createCellContext({ JupyterHandlerImpl, ZmqServer }), conversions: conversionCounts };
// NOTE: zeromq.js (6.x) sends at most 512 messages synchronously per turn of the event loop; the
// next one waits for the loop, and any send while one waits throws EBUSY ("Socket is busy writing;
// only one send operation may be in progress"). tslab sends every print and display as it happens,
// so a cell whose synchronous loop prints or updates a display more than 512 times lost the rest of
// its output and its reply, silently (the error went to the same busy socket) — under load sooner,
// as a throttled progress bar updates more often per iteration. With a send timeout of 0 every send
// is immediate (the fast path), so no send ever waits and none can overlap another. It never drops
// what an idle socket would send: a PUB socket drops only at its high-water mark either way, and the
// ROUTER/REP sockets answer a peer that just asked.
const bindSocket = ZmqServer.prototype.bindSocket;
ZmqServer.prototype.bindSocket = function (sock, ...rest) {
  sock.sendTimeout = 0;
  sock.sendHighWaterMark = 0;
  return bindSocket.call(this, sock, ...rest);
};

// A message that cannot be sent is lost, never an exception in the learner's cell: tslab sends without
// catching, from inside the cell's own code (print, display, progress), and drops send's promise. Its
// message class is not exported, and zeromq.js's sockets are sealed: the guard goes on the message
// class's signAndSend, reached through the first message tslab publishes a status for. A failure is
// logged to the kernel's stderr (the Jupyter server's terminal), not to the socket that failed.
const publishStatus = ZmqServer.prototype.publishStatus;
let guarded = false;
ZmqServer.prototype.publishStatus = function (status, parent) {
  if (!guarded) {
    guarded = true;
    const message = Object.getPrototypeOf(parent);
    const signAndSend = message.signAndSend;
    message.signAndSend = function (key, sock) {
      const guard = {
        send(frames) {
          try {
            const sent = sock.send(frames);
            if (sent && typeof sent.catch === "function") sent.catch(lost);
          } catch (e) {
            lost(e);
          }
        },
      };
      return signAndSend.call(this, key, guard);
    };
  }
  return publishStatus.call(this, status, parent);
};
let lostCount = 0;
const writeStderr = process.stderr.write.bind(process.stderr);
function lost(e) {
  if (++lostCount <= 10) writeStderr(`nn-typescript: a message was not sent (${e && e.message}); the cell goes on\n`);
}

const configPath = process.argv[2];
if (!configPath) {
  console.error("usage: start.js <connection file> (Jupyter passes it: see kernel.json)");
  process.exit(2);
}
require(fromNotebooks("tslab/dist/main")).startKernel({ configPath, enableFindLocal: false, jsKernel: false });
