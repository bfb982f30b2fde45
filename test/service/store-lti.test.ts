// What the store keeps for LTI 1.3, on SQLite and on a real PostgreSQL (started here): platforms whose
// deployments add up, nonces used once, members linked to the learner they are, and the outbox of
// scores — a changed score pending, a claimed one skipped by another server until its lease ends, a
// score that changed while it was being sent staying pending, a refused one failed until it changes.
import { type Store } from "../../grader/service";
import { storeEngines } from "./servers";

const engines = storeEngines("course-lti-store-");

const platform = {
  issuer: "https://lms.example.org",
  clientId: "tool-1",
  deploymentIds: ["d-1"],
  authUrl: "https://lms.example.org/auth",
  tokenUrl: "https://lms.example.org/token",
  jwksUrl: "https://lms.example.org/jwks",
};

describe.each(engines)("LTI on %s", (_, open) => {
  let store: Store;
  let platformId: string, learnerId: string;
  beforeAll(async () => {
    store = await open();
    platformId = (await store.lti.addPlatform(platform, 1)).id;
    learnerId = (await store.putLearner({ email: "ana@example.org", name: "Ana", tokenHash: "h" }, 1)).id;
  }, 60_000);
  afterAll(() => store?.close());

  test("a platform registered again keeps its id and gains the new deployment, the old one kept", async () => {
    const again = await store.lti.addPlatform({ ...platform, deploymentIds: ["d-2", "d-1"] }, 2);
    expect(again).toMatchObject({ id: platformId, deploymentIds: ["d-1", "d-2"] });
    expect(await store.lti.platforms()).toHaveLength(1);
  });

  test("a nonce is accepted once; an expired one is dropped", async () => {
    expect(await store.lti.useNonce("n-1", 1_000, 10)).toBe(true);
    expect(await store.lti.useNonce("n-1", 1_000, 20)).toBe(false);
    expect(await store.lti.useNonce("n-1", 5_000, 2_000)).toBe(true);
  });

  test("a member stays linked to their learner when the roster later names them without one", async () => {
    const m = { platformId, contextId: "c-1", userId: "u-ana", role: "learner" as const, email: "ana@example.org" };
    await store.lti.putMember({ ...m, learnerId, name: "Ana" }, 3);
    await store.lti.putMember({ ...m, name: "Ana Lima" }, 4);
    expect(await store.lti.members(platformId, "c-1")).toEqual([{ ...m, learnerId, name: "Ana Lima" }]);
  });

  test("a changed score is pending, claimed by one server for its lease, and sent once", async () => {
    const k = { platformId, contextId: "c-1", userId: "u-ana", section: "01-single-unit-gd" };
    expect(await store.lti.wantScore(k, { learnerId, score: 80, maxScore: 100 }, 100)).toBe(true);
    expect(await store.lti.wantScore(k, { learnerId, score: 80, maxScore: 100 }, 101)).toBe(false);
    const [mine, ...more] = await store.lti.claimDue(200, 1_000, 10);
    expect(more).toEqual([]);
    expect(mine).toMatchObject({ ...k, score: 80, state: "pending", changedAt: 100 });
    expect(await store.lti.claimDue(300, 1_000, 10)).toEqual([]); // another server, within the lease
    await store.lti.markSent(mine, mine.changedAt, 400);
    expect(await store.lti.claimDue(5_000, 1_000, 10)).toEqual([]);
    expect((await store.lti.scores())[0]).toMatchObject({ state: "sent", sentScore: 80, sentAt: 400 });
  });

  test("a score that changed while it was being sent stays pending, with a later timestamp", async () => {
    const k = { platformId, contextId: "c-1", userId: "u-ana", section: "02-admissions" };
    await store.lti.wantScore(k, { learnerId, score: 10, maxScore: 50 }, 1_000);
    const [claimed] = await store.lti.claimDue(1_000, 60_000, 10);
    await store.lti.wantScore(k, { learnerId, score: 40, maxScore: 50 }, 1_000); // same millisecond
    await store.lti.markSent(claimed, claimed.changedAt, 1_001);
    const now = (await store.lti.scores()).find((s) => s.section === k.section)!;
    expect(now).toMatchObject({ state: "pending", score: 40 });
    expect(now.changedAt).toBeGreaterThan(claimed.changedAt);
  });

  test("a score not sent waits for its next try; one refused for good is failed until the score changes", async () => {
    const k = { platformId, contextId: "c-2", userId: "u-ana", section: "03-not-network" };
    await store.lti.wantScore(k, { learnerId, score: 5, maxScore: 100 }, 10_000);
    const [a] = await store.lti.claimDue(10_000, 60_000, 10);
    await store.lti.markUnsent(a, a.changedAt, "answered 503", 20_000, false);
    expect(await store.lti.claimDue(19_999, 60_000, 10)).toEqual([]);
    const [b] = await store.lti.claimDue(20_000, 60_000, 10);
    expect(b).toMatchObject({ attempts: 1, error: "answered 503" });
    await store.lti.markUnsent(b, b.changedAt, "answered 400 (unknown user)", 30_000, true);
    const c2 = async (now: number) => (await store.lti.claimDue(now, 60_000, 10)).filter((x) => x.contextId === "c-2");
    expect(await c2(10 ** 12)).toEqual([]);
    expect((await store.lti.scores()).find((s) => s.contextId === "c-2")).toMatchObject({ state: "failed" });
    await store.lti.wantScore(k, { learnerId, score: 6, maxScore: 100 }, 40_000);
    expect(await c2(40_000)).toEqual([expect.objectContaining({ score: 6, attempts: 0 })]);
  });
});
