// What the course's helper may ask the kernel about the cell that is running (submit() uses it):
//  - runs: each cell's code, when it started, whether its request came while another cell was running
//    or waiting (Run All and Restart & Run All send every cell's request at once), and whether the
//    frontend that sent it can answer input (allow_stdin: a notebook UI can, nbclient cannot);
//  - input(prompt, password): Jupyter's input_request on the stdin channel, answered in the frontend's
//    input box (a password box shows dots). tslab binds the stdin socket but never uses it.
// Exposed as globalThis.__courseKernel; see start.js.
"use strict";
const crypto = require("crypto");

const DELIM = Buffer.from("<IDS|MSG>");

/** Patches tslab's handler and server classes; returns what globalThis.__courseKernel holds. */
function createCellContext({ JupyterHandlerImpl, ZmqServer }) {
  /** @type {{ code: string, at: number, queued: boolean, stdin: boolean }[]} the latest 1,000 */
  const runs = [];
  let waiting = 0; // execute requests read and not yet answered
  const arrival = new WeakMap(); // request content → { queued, server, msg }
  let current; // the arrival record of the cell running now

  const serverExecute = ZmqServer.prototype.handleExecute;
  ZmqServer.prototype.handleExecute = function (sock, msg) {
    arrival.set(msg.content, { queued: waiting > 0, server: this, msg });
    return serverExecute.call(this, sock, msg);
  };
  const handleExecute = JupyterHandlerImpl.prototype.handleExecute;
  JupyterHandlerImpl.prototype.handleExecute = async function (req, ...rest) {
    waiting++;
    try {
      return await handleExecute.call(this, req, ...rest);
    } finally {
      waiting--;
    }
  };
  const handleExecuteImpl = JupyterHandlerImpl.prototype.handleExecuteImpl;
  JupyterHandlerImpl.prototype.handleExecuteImpl = async function (req, ...rest) {
    // NOTE: one turn of the event loop before each cell, so that requests already sent are read and
    // counted as waiting: a cell whose code never yields would otherwise run every queued cell before
    // the socket is read again, and the last cell of a Run All could look as if it had been run alone.
    await new Promise((resolve) => setImmediate(resolve));
    current = arrival.get(req);
    runs.push({
      code: String(req.code),
      at: Date.now(),
      queued: current?.queued ?? false,
      stdin: req.allow_stdin === true,
    });
    if (runs.length > 1000) runs.shift();
    return handleExecuteImpl.call(this, req, ...rest);
  };

  let answer; // { resolve, reject } of the input request waiting for its reply
  const listening = new WeakSet();
  function listen(server) {
    if (listening.has(server)) return;
    listening.add(server);
    (async () => {
      for await (const raw of server.stdin) {
        const msg = parse(server.connInfo.key, raw);
        if (msg?.header.msg_type !== "input_reply" || !answer) continue;
        const { resolve } = answer;
        answer = undefined;
        resolve(String(msg.content.value ?? ""));
      }
    })().catch((e) => answer?.reject(e));
  }

  /** What the learner types in the frontend's input box under the running cell. */
  function input(prompt, { password = false } = {}) {
    const c = current;
    if (!c || c.msg.content.allow_stdin !== true)
      return Promise.reject(Object.assign(new Error("this frontend cannot answer input"), { code: "NO_STDIN" }));
    if (answer) return Promise.reject(new Error("an input box is already open under this cell"));
    listen(c.server);
    const request = c.msg.createReply();
    request.header.msg_type = "input_request";
    request.content = { prompt, password };
    return new Promise((resolve, reject) => {
      answer = { resolve, reject };
      request.signAndSend(c.server.connInfo.key, c.server.stdin);
    });
  }

  return { runs, input };
}

/** A signed message of the wire protocol, or undefined when it is malformed or its signature is wrong. */
function parse(key, raw) {
  const at = raw.findIndex((b) => b.equals(DELIM));
  if (at < 0 || raw.length < at + 6) return undefined;
  const parts = raw.slice(at + 2, at + 6);
  if (key) {
    const hmac = crypto.createHmac("sha256", key);
    for (const p of parts) hmac.update(p);
    const want = Buffer.from(hmac.digest("hex")),
      got = Buffer.from(raw[at + 1].toString());
    if (want.length !== got.length || !crypto.timingSafeEqual(want, got)) return undefined;
  }
  try {
    return { header: JSON.parse(parts[0].toString()), content: JSON.parse(parts[3].toString()) };
  } catch {
    return undefined;
  }
}

module.exports = { createCellContext, parse };
