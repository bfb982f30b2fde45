import { createHmac } from "crypto";
import { createCellContext, parse } from "./cell-context.js";

const KEY = "secret";
const frames = (header: object, content: object, key = KEY) => {
  const parts = [header, {}, {}, content].map((p) => Buffer.from(JSON.stringify(p)));
  const hmac = createHmac("sha256", key);
  for (const p of parts) hmac.update(p);
  return [Buffer.from("frontend"), Buffer.from("<IDS|MSG>"), Buffer.from(hmac.digest("hex")), ...parts];
};

/** A stdin socket: what the kernel sent, and replies pushed to its reader. */
function fakeStdin() {
  const sent: { header: any; content: any }[] = [];
  const inbox: Buffer[][] = [];
  let wake: (() => void) | undefined;
  return {
    sent,
    reply(raw: Buffer[]) {
      inbox.push(raw);
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (inbox.length) yield inbox.shift()!;
        await new Promise<void>((r) => (wake = r));
      }
    },
  };
}

/** tslab's two classes as far as the context uses them: a server that hands requests to a one-at-a-time handler. */
function fakeKernel() {
  class Handler {
    queue: Promise<unknown> = Promise.resolve();
    handleExecute(req: any): Promise<unknown> {
      const p = this.queue.then(() => this.handleExecuteImpl(req));
      this.queue = p.catch(() => undefined);
      return p;
    }
    async handleExecuteImpl(req: any) {
      return req.body ? await req.body() : 1;
    }
  }
  const stdin = fakeStdin();
  class Server {
    handler = new Handler();
    connInfo = { key: KEY };
    stdin = stdin;
    handleExecute(_sock: unknown, msg: any) {
      return this.handler.handleExecute(msg.content);
    }
  }
  const context = createCellContext({ JupyterHandlerImpl: Handler, ZmqServer: Server });
  const server = new Server();
  const request = (code: string, o: { allow_stdin?: boolean; body?: () => Promise<unknown> } = {}) => {
    const msg = {
      header: { msg_id: code },
      content: { code, allow_stdin: o.allow_stdin ?? true, body: o.body },
      createReply: () => ({
        header: { msg_type: "execute_request" } as any,
        content: {} as any,
        signAndSend(key: string, sock: typeof stdin) {
          expect(key).toBe(KEY);
          sock.sent.push({ header: this.header, content: this.content });
        },
      }),
    };
    return server.handleExecute(null, msg);
  };
  return { context, stdin, request };
}

test("a cell sent while another runs or waits is marked queued; one sent to an idle kernel is not", async () => {
  const { context, request } = fakeKernel();
  await Promise.all([request("a"), request("b"), request("c")]); // Run All sends every request at once
  await request("submit");
  expect(context.runs.map((r: any) => [r.code, r.queued])).toEqual([
    ["a", false],
    ["b", true],
    ["c", true],
    ["submit", false],
  ]);
});

test("each run says whether its frontend can answer input", async () => {
  const { context, request } = fakeKernel();
  await request("ui");
  await request("nbclient", { allow_stdin: false });
  expect(context.runs.map((r: any) => r.stdin)).toEqual([true, false]);
});

test("input asks the running cell's frontend on the stdin channel and resolves with its reply", async () => {
  const { context, stdin, request } = fakeKernel();
  let typed: string | undefined;
  const run = request("await submit()", {
    body: async () => (typed = await context.input("Token:", { password: true })),
  });
  while (!stdin.sent.length) await new Promise((r) => setImmediate(r));
  expect(stdin.sent[0]).toEqual({
    header: { msg_type: "input_request" },
    content: { prompt: "Token:", password: true },
  });
  stdin.reply(frames({ msg_type: "input_reply" }, { value: "s3cret-token" }, "another key")); // not signed with ours
  stdin.reply(frames({ msg_type: "input_reply" }, { value: "s3cret-token" }));
  await run;
  expect(typed).toBe("s3cret-token");
});

test("input is refused, never waited for, when the frontend cannot answer", async () => {
  const { context, stdin, request } = fakeKernel();
  let error: any;
  await request("await submit()", {
    allow_stdin: false,
    body: () => context.input("Token:", { password: true }).catch((e: any) => (error = e)),
  });
  expect(error.code).toBe("NO_STDIN");
  expect(stdin.sent).toEqual([]);
});

test("parse takes a signed message and refuses a wrong signature or a message without its delimiter", () => {
  expect(parse(KEY, frames({ msg_type: "input_reply" }, { value: "x" }))?.content).toEqual({ value: "x" });
  expect(parse(KEY, frames({ msg_type: "input_reply" }, { value: "x" }, "other"))).toBeUndefined();
  expect(parse(KEY, [Buffer.from("no delimiter")])).toBeUndefined();
});
