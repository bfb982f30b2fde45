// JSON bombs against a real `course serve` (issue 24, finding 4): nesting and counts that cost far
// more than their size are refused with a sentence before they are parsed, and a large notebook is
// read off the server's thread, so another learner is answered while it is.
import {
  addLearners,
  basic,
  call,
  killAll,
  startService,
  startUpload,
  submit,
  type Creds,
  type Service,
} from "./harness";

const S = "01-single-unit-gd";
let svc: Service, mallory: Creds, alice: Creds;

beforeAll(async () => {
  svc = await startService({ args: ["--jobs", "1"] });
  [mallory, alice] = await addLearners(svc.data, [
    { email: "mallory@example.org", name: "Mallory" },
    { email: "alice@example.org", name: "Alice" },
  ]);
});
afterAll(async () => {
  await svc?.stop();
  killAll();
});

test("a notebook nested 3 million deep is refused with 400 naming the depth, and nothing is stored", async () => {
  const deep = `{"nbformat":4,"cells":[],"metadata":{"x":${"[".repeat(3_000_000)}${"]".repeat(3_000_000)}}}`;
  const r = await submit(svc, mallory, S, deep);
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/its JSON nests deeper than 64 levels/);
});

test("a notebook of 6 million empty objects is refused with 400 naming the count, and nothing is stored", async () => {
  const wide = `{"nbformat":4,"metadata":{},"cells":[${"{},".repeat(6_000_000)}{}]}`;
  const r = await submit(svc, mallory, S, wide);
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/more than 1,000,000 objects and lists/);
  const mine = await call(`${svc.url}/api/submissions`, { headers: basic(mallory) });
  expect(mine.body.submissions).toHaveLength(0);
});

test("while a 50 MB notebook is read, another learner's requests are answered before it", async () => {
  // 50 MB of numbers in one list: within every structural limit, seconds of parsing, then refused
  // (nbformat 3), so nothing is graded.
  const numbers = Array.from({ length: 1000 }, (_, i) => (i / 7).toFixed(6)).join(",");
  const big = `{"nbformat":3,"metadata":{"x":[${Array.from({ length: 5200 }, () => numbers).join(",")}]},"cells":[]}`;
  const order: string[] = [];
  const upload = startUpload(svc, mallory, big, { declareLength: false });
  const bomb = upload.answer.then((a) => {
    order.push("bomb");
    return a.status;
  });
  // Its last byte is sent: three requests of another learner, one after the other.
  upload.finish(() => {
    void (async () => {
      for (let i = 0; i < 3; i++) {
        const me = await call(`${svc.url}/api/me`, { headers: basic(alice) });
        order.push(`alice ${me.status}`);
      }
    })();
  });
  expect(await bomb).toBe(400);
  while (order.length < 4) await new Promise((r) => setTimeout(r, 50));
  expect(order).toEqual(["alice 200", "alice 200", "alice 200", "bomb"]);
});
