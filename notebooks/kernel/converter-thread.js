// The worker side of start.js: tslab's own converter (its TypeScript compiler and language service),
// answering the kernel's calls one at a time. Each reply is posted on the reply port, then the kernel's
// main thread, asleep in Atomics.wait, is woken through the shared signal.
"use strict";
const { workerData } = require("worker_threads");
const { createConverter } = require("tslab/dist/converter");

const { port, signal, options } = workerData;
const flag = new Int32Array(signal);
const converter = createConverter(options);

port.on("message", ({ method, args }) => {
  let reply;
  try {
    reply = { ok: true, value: converter[method](...args) };
  } catch (e) {
    reply = { ok: false, message: e && e.stack ? e.stack : String(e) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  if (method === "close") process.exit(0);
});
