// What the store keeps for running a course, on SQLite and on a real PostgreSQL (started here).
// Regrades: which submissions a regrade takes, a new result replacing the current one (kept in the
// history), a lower one not applied when scores never fall, the first outcome of an item winning,
// and the current result naming the regrade that wrote it. The calendar: deadlines and policies,
// extensions with their log, the slip-day bank, and the graded attempts a policy reads.
import type { GradeReport } from "../../grader/pipeline";
import { type Store, type StoredResult } from "../../grader/service";
import { storeEngines } from "./servers";

const S = "01-single-unit-gd";
const engines = storeEngines("course-regrades-");

/** A result whose two parts scored `a` and `b` of 50 each. */
function result(a: number, b: number, at: number, setVersion = "v1"): StoredResult {
  const part = (name: string, points: number) => ({
    name,
    points,
    maxPoints: 50,
    status: points === 50 ? "pass" : "fail",
    feedback: [],
    casesPassed: 0,
    cases: 1,
  });
  const report = {
    section: S,
    notebook: "n.ipynb",
    parts: [part("sigmoid", a), part("epoch", b)],
    score: a + b,
    maxScore: 100,
    notes: [],
  };
  return {
    status: "ok",
    score: a + b,
    maxScore: 100,
    report: report as GradeReport,
    seconds: 1,
    gradedAt: at,
    setVersion,
  };
}

describe.each(engines)("on %s", (engine, open) => {
  let store: Store;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    store = await open();
    const ana = await store.putLearner({ email: "ana@example.org", name: "Ana", tokenHash: "x" }, 1);
    const bo = await store.putLearner({ email: "bo@example.org", name: "Bo", tokenHash: "y" }, 1);
    // Ana: 60 then 100 then 80 (best: the second; last: the third). Bo: one of 90, its notebook dropped later.
    const plan: [string, string, number, StoredResult][] = [
      ["a1", ana.id, 10, result(10, 50, 11)],
      ["a2", ana.id, 20, result(50, 50, 21)],
      ["a3", ana.id, 30, result(30, 50, 31)],
      ["b1", bo.id, 15, result(40, 50, 16)],
    ];
    for (const [name, learnerId, at, r] of plan) {
      ids[name] = `s_${name}`;
      await store.addSubmission({
        id: ids[name],
        learnerId,
        section: S,
        fileName: `${name}.ipynb`,
        notebook: Buffer.from("{}"),
        receivedAt: at,
      });
      await store.startGrading(ids[name], at);
      await store.finish(ids[name], r);
    }
  });
  afterAll(() => store.close());

  test("a regrade takes each learner's best, their last, or every graded submission; one whose notebook was dropped is marked", async () => {
    const of = async (which: "best" | "last" | "all") =>
      (await store.regradeTargets({ section: S, which }))
        .filter((t) => Object.values(ids).includes(t.id))
        .map((t) => t.id);
    expect(await of("best")).toEqual([ids.a2, ids.b1]);
    expect(await of("last")).toEqual([ids.a3, ids.b1]);
    expect((await of("all")).sort()).toEqual([ids.a1, ids.a2, ids.a3, ids.b1].sort());
    const bo = (await store.learnerByEmail("bo@example.org"))!;
    const only = await store.regradeTargets({ section: S, which: "all", learnerIds: [bo.id] });
    expect(only.map((t) => t.id)).toEqual([ids.b1]);
    expect(only[0]).toMatchObject({ email: "bo@example.org", score: 90, hasNotebook: true });
    // The retention rule keeps Ana's best and last notebooks: the first one's is dropped.
    const ana = (await store.learnerByEmail("ana@example.org"))!;
    expect(await store.pruneNotebooks(ana.id, S, 1)).toBe(1);
    const all = await store.regradeTargets({ section: S, which: "all", learnerIds: [ana.id] });
    expect(all.map((t) => [t.id, t.hasNotebook])).toEqual([
      [ids.a1, false],
      [ids.a2, true],
      [ids.a3, true],
    ]);
  });

  test("a new result replaces the current one, which is kept in the history; the first outcome of an item wins", async () => {
    await store.addRegrade(
      "g_up",
      { section: S, which: "all", neverLower: false, message: "the sigmoid's case was wrong" },
      [ids.a1, ids.a3],
      100,
    );
    expect(
      (await store.unfinishedRegradeItems())
        .filter((i) => i.regrade === "g_up")
        .map((i) => i.id)
        .sort(),
    ).toEqual([ids.a1, ids.a3].sort());
    expect(await store.startRegradeItem("g_up", ids.a1)).toBe(1);
    expect(await store.finishRegradeItem("g_up", ids.a1, result(50, 50, 101, "v2"), 101)).toBe("applied");
    // A second worker's outcome for the same item (one killed midway, graded again) is not stored.
    expect(await store.finishRegradeItem("g_up", ids.a1, result(0, 0, 102, "v2"), 102)).toBeUndefined();
    const a1 = (await store.submission(ids.a1))!.result!;
    expect(a1).toMatchObject({
      score: 100,
      setVersion: "v2",
      regraded: { id: "g_up", message: "the sigmoid's case was wrong" },
    });
    const history = await store.resultHistory(ids.a1);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ score: 60, setVersion: "v1", replacedBy: "g_up", replacedAt: 101 });
    // Lower, and this regrade lets scores fall: applied.
    expect(await store.finishRegradeItem("g_up", ids.a3, result(30, 20, 103, "v2"), 103)).toBe("applied");
    expect((await store.submission(ids.a3))!.result!.score).toBe(50);
    const g = (await store.regrade("g_up"))!;
    expect(g).toMatchObject({ section: S, which: "all", neverLower: false, message: "the sigmoid's case was wrong" });
    const a1Item = g.items.find((i) => i.submissionId === ids.a1)!;
    expect(a1Item).toMatchObject({ state: "done", outcome: "applied", old: { score: 60 }, new: { score: 100 } });
    expect(a1Item.old!.parts).toEqual([
      { name: "sigmoid", points: 10, maxPoints: 50 },
      { name: "epoch", points: 50, maxPoints: 50 },
    ]);
    expect(await store.unfinishedRegradeItems()).toEqual([]);
  });

  test("when scores never fall, a lower result is recorded for the report but the current one stays", async () => {
    await store.addRegrade(
      "g_keep",
      { section: S, which: "best", neverLower: true, message: "tolerance tightened" },
      [ids.b1],
      200,
    );
    expect(await store.finishRegradeItem("g_keep", ids.b1, result(0, 50, 201, "v3"), 201)).toBe("kept");
    const b1 = (await store.submission(ids.b1))!.result!;
    expect(b1).toMatchObject({ score: 90, setVersion: "v1" });
    expect(b1.regraded).toBeUndefined();
    expect(await store.resultHistory(ids.b1)).toEqual([]);
    expect((await store.regrade("g_keep"))!.items[0]).toMatchObject({
      outcome: "kept",
      old: { score: 90 },
      new: { score: 50 },
    });
  });

  test("an item the grader could not grade fails, and its result stays; a finished item cannot fail", async () => {
    await store.addRegrade(
      "g_fail",
      { section: S, which: "last", neverLower: false, message: "again" },
      [ids.a2, ids.b1],
      300,
    );
    expect(await store.failRegradeItem("g_fail", ids.a2, "the grader failed", 301)).toBe(true);
    expect(await store.finishRegradeItem("g_fail", ids.a2, result(0, 0, 302), 302)).toBeUndefined();
    expect((await store.submission(ids.a2))!.result!.score).toBe(100);
    expect(await store.finishRegradeItem("g_fail", ids.b1, result(50, 50, 303), 303)).toBe("applied");
    expect(await store.failRegradeItem("g_fail", ids.b1, "late", 304)).toBe(false);
    // The gradebook's best follows the current results.
    const row = (await store.gradebook([S])).find((r) => r.email === "bo@example.org" && r.section === S)!;
    expect(row.best).toMatchObject({
      id: ids.b1,
      result: { score: 100, regraded: { id: "g_fail", message: "again" } },
    });
  });

  // Two servers hear of one completed job and store its outcome at once (SQLite has one server).
  (engine === "PostgreSQL" ? test : test.skip)(
    "two servers storing one item's outcome at once: one stores it, the other finds it finished",
    async () => {
      const other = await open();
      try {
        await store.addRegrade(
          "g_twice",
          { section: S, which: "all", neverLower: false, message: "twice" },
          [ids.a3],
          400,
        );
        const outcomes = await Promise.all([
          store.finishRegradeItem("g_twice", ids.a3, result(50, 50, 401, "v4"), 401),
          other.finishRegradeItem("g_twice", ids.a3, result(50, 50, 402, "v4"), 402),
        ]);
        expect(outcomes.sort()).toEqual(["applied", undefined]);
        expect((await store.resultHistory(ids.a3)).filter((h) => h.replacedBy === "g_twice")).toHaveLength(1);
      } finally {
        await other.close();
      }
    },
  );
});

describe.each(engines)("the calendar on %s", (_, open) => {
  let store: Store;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store.close());

  test("a deadline is kept whole and replaced whole; times left out stay absent", async () => {
    const d = {
      section: S,
      opensAt: 1000,
      dueAt: 2000,
      lateUntil: 9000,
      policy: { percent: 12.5, per: "hour" as const, capPercent: 40, slipDays: true },
      counts: "last" as const,
    };
    await store.setDeadline(d, 1);
    expect((await store.deadlines())[S]).toEqual(d);
    await store.setDeadline({ section: S, dueAt: 3000, policy: { ...d.policy, slipDays: false }, counts: "best" }, 2);
    expect((await store.deadlines())[S]).toEqual({
      section: S,
      dueAt: 3000,
      policy: { ...d.policy, slipDays: false },
      counts: "best",
    });
  });

  test("an extension replaces the learner's last one and every change is logged, newest first", async () => {
    const l = await store.putLearner({ email: "ext@example.org", name: "Ext", tokenHash: "z" }, 1);
    expect(await store.extend({ learnerId: l.id, section: S, dueAt: 5000 }, "prof", 10)).toBeUndefined();
    expect(await store.extend({ learnerId: l.id, section: S, dueAt: 7000 }, "ta", 20)).toBe(5000);
    expect(await store.extensions(l.id)).toEqual([{ learnerId: l.id, section: S, dueAt: 7000 }]);
    expect(await store.extensionLog(l.id)).toEqual([
      { learnerId: l.id, email: "ext@example.org", section: S, dueAt: 7000, oldDue: 5000, by: "ta", at: 20 },
      { learnerId: l.id, email: "ext@example.org", section: S, dueAt: 5000, by: "prof", at: 10 },
    ]);
  });

  test("the slip-day bank is 0 until set; graded attempts come oldest first with their scores", async () => {
    expect(await store.slipDayBank()).toBe(0);
    await store.setSlipDayBank(3);
    await store.setSlipDayBank(2);
    expect(await store.slipDayBank()).toBe(2);
    const l = await store.putLearner({ email: "att@example.org", name: "Att", tokenHash: "w" }, 1);
    for (const [id, at, score] of [
      ["s_att2", 20, 70],
      ["s_att1", 10, 40],
      ["s_att3", 30, -1],
    ] as const) {
      await store.addSubmission({
        id,
        learnerId: l.id,
        section: S,
        fileName: "n.ipynb",
        notebook: Buffer.from("{}"),
        receivedAt: at,
      });
      if (score >= 0) await store.finish(id, { ...result(score, 0, at + 1), score });
    }
    expect((await store.gradedAttempts(l.id)).map((a) => [a.id, a.receivedAt, a.score, a.maxScore])).toEqual([
      ["s_att1", 10, 40, 100],
      ["s_att2", 20, 70, 100],
    ]);
  });
});
