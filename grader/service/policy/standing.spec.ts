import type { Deadline, GradedAttempt } from "../store";
import { DAY_MS, HOUR_MS, standingOf, windowOf } from "./standing";
import { dueText, parseTime, span } from "./times";

const T0 = Date.UTC(2026, 11, 10, 23, 59); // the due time of section A
const A = "01-a",
  B = "02-b";
const deadline = (section: string, o: Partial<Deadline> = {}): Deadline => ({
  section,
  dueAt: T0,
  lateUntil: T0 + 7 * DAY_MS,
  policy: { percent: 10, per: "day", capPercent: 50, slipDays: false },
  counts: "best",
  ...o,
});
let n = 0;
const attempt = (section: string, at: number, score: number): GradedAttempt => ({
  id: `s${++n}`,
  learnerId: "l",
  section,
  receivedAt: at,
  score,
  maxScore: 100,
});

describe("a late penalty", () => {
  test("on time (at the due minute itself) the score is the raw score, and nothing is said", () => {
    const s = standingOf([A], [attempt(A, T0, 80)], { [A]: deadline(A) }, [], 0).sections[A];
    expect(s.counted).toMatchObject({ raw: 80, final: 80, lateMs: 0, why: "" });
  });

  test("each started day late takes 10 %: one minute late is one day, a day and a minute is two", () => {
    const d = { [A]: deadline(A) };
    expect(standingOf([A], [attempt(A, T0 + 60_000, 80)], d, [], 0).sections[A].counted).toMatchObject({
      final: 72,
      why: "1 day late: −10 %",
    });
    expect(standingOf([A], [attempt(A, T0 + DAY_MS + 60_000, 80)], d, [], 0).sections[A].counted).toMatchObject({
      final: 64,
      why: "2 days late: −20 %",
    });
  });

  test("the penalty stops at its cap, and says so", () => {
    const s = standingOf([A], [attempt(A, T0 + 6.5 * DAY_MS, 100)], { [A]: deadline(A) }, [], 0).sections[A];
    expect(s.counted).toMatchObject({ final: 50, why: "7 days late: −50 % (the cap)" });
  });

  test("per hour: three hours and a bit late at 5 %/hour takes 20 %", () => {
    const d = { [A]: deadline(A, { policy: { percent: 5, per: "hour", capPercent: 100, slipDays: false } }) };
    const s = standingOf([A], [attempt(A, T0 + 3 * HOUR_MS + 1, 90)], d, [], 0).sections[A];
    expect(s.counted).toMatchObject({ final: 72, why: "4 hours late: −20 %" });
  });

  test("best counts after the penalty: an on-time 70 beats a late 75 at −10 %; last counts the last whatever it scored", () => {
    const tries = [attempt(A, T0 - HOUR_MS, 70), attempt(A, T0 + HOUR_MS, 75)];
    expect(standingOf([A], tries, { [A]: deadline(A) }, [], 0).sections[A].counted).toMatchObject({
      id: tries[0].id,
      final: 70,
    });
    const last = standingOf([A], tries, { [A]: deadline(A, { counts: "last" }) }, [], 0).sections[A];
    expect(last.counted).toMatchObject({ id: tries[1].id, raw: 75, final: 67.5 });
    expect(last.attempts).toBe(2);
  });

  test("a submission received after the late window (stored before the window was set) counts 0", () => {
    const s = standingOf([A], [attempt(A, T0 + 8 * DAY_MS, 100)], { [A]: deadline(A) }, [], 0).sections[A];
    expect(s.counted).toMatchObject({ final: 0, why: "received after the late window closed" });
  });

  test("a section without a deadline counts the best raw score", () => {
    const s = standingOf([A], [attempt(A, T0 + 99 * DAY_MS, 60), attempt(A, 0, 90)], {}, [], 0).sections[A];
    expect(s.counted).toMatchObject({ raw: 90, final: 90, why: "" });
    expect(s.window).toEqual({ extended: false });
  });
});

describe("an extension", () => {
  test("moves the due time and the late window with it; the late submission is on time again", () => {
    const d = { [A]: deadline(A) };
    const late = attempt(A, T0 + 2 * DAY_MS, 100);
    expect(standingOf([A], [late], d, [], 0).sections[A].counted!.final).toBe(80);
    const ext = standingOf([A], [late], d, [{ learnerId: "l", section: A, dueAt: T0 + 3 * DAY_MS }], 0).sections[A];
    expect(ext.counted).toMatchObject({ final: 100, why: "" });
    expect(ext.window).toEqual({ dueAt: T0 + 3 * DAY_MS, closesAt: T0 + 10 * DAY_MS, extended: true });
  });

  test("without a late window the section closes at the due time, extended or not", () => {
    expect(windowOf(deadline(A, { lateUntil: undefined }))).toEqual({ dueAt: T0, closesAt: T0, extended: false });
    expect(windowOf(deadline(A, { lateUntil: undefined }), T0 + DAY_MS).closesAt).toBe(T0 + DAY_MS);
  });
});

describe("slip days", () => {
  const slip = { percent: 10, per: "day" as const, capPercent: 100, slipDays: true };
  test("cover lateness in whole days, spent in the order of the sections' due times, and are counted down", () => {
    const d = {
      [A]: deadline(A, { policy: slip }),
      [B]: deadline(B, { dueAt: T0 + 7 * DAY_MS, lateUntil: T0 + 14 * DAY_MS, policy: slip }),
    };
    // B is listed first but due later: A spends first.
    const st = standingOf([B, A], [attempt(B, T0 + 9 * DAY_MS, 100), attempt(A, T0 + DAY_MS + 1, 90)], d, [], 3);
    expect(st.sections[A].counted).toMatchObject({ final: 90, slipDaysUsed: 2, why: "2 slip days used, 1 left" });
    // B is 2 days late with 1 slip day left: the penalty applies instead, and says why.
    expect(st.sections[B].counted).toMatchObject({
      final: 80,
      slipDaysUsed: 0,
      why: "2 days late: −20 % (1 slip day left, 2 needed)",
    });
    expect([st.slipDaysUsed, st.slipDaysLeft]).toEqual([2, 1]);
    expect(Object.keys(st.sections)).toEqual([B, A]);
  });

  test("between equal finals, the attempt spending fewer slip days counts", () => {
    const d = { [A]: deadline(A, { policy: slip }) };
    const tries = [attempt(A, T0 + 2 * DAY_MS - 1, 100), attempt(A, T0 - 1, 100)];
    const st = standingOf([A], tries, d, [], 5);
    expect(st.sections[A].counted).toMatchObject({ id: tries[1].id, slipDaysUsed: 0 });
    expect(st.slipDaysLeft).toBe(5);
  });
});

describe("times", () => {
  test("a local time in a zone: Berlin is UTC+1 in December and UTC+2 in July", () => {
    expect(parseTime("2026-12-24T23:59", "Europe/Berlin")).toEqual({ at: Date.UTC(2026, 11, 24, 22, 59) });
    expect(parseTime("2026-07-01T12:00", "Europe/Berlin")).toEqual({ at: Date.UTC(2026, 6, 1, 10, 0) });
    expect(parseTime("2026-12-24T23:59:00Z")).toEqual({ at: Date.UTC(2026, 11, 24, 23, 59) });
    expect(parseTime("2026-12-24T23:59+05:30")).toEqual({ at: Date.UTC(2026, 11, 24, 18, 29) });
  });

  test("a time without a zone, a zone Node does not know, or no time at all is refused with the fix", () => {
    expect(parseTime("2026-12-24T23:59")).toMatchObject({
      problem: expect.stringMatching(/has no zone: add Z .* or give --tz/),
    });
    expect(parseTime("2026-12-24T23:59", "Mars/Olympus")).toMatchObject({
      problem: expect.stringMatching(/--tz: "Mars\/Olympus" is not a time zone/),
    });
    expect(parseTime("next friday")).toMatchObject({
      problem: expect.stringMatching(/is not a time: write it as 2026-12-24T23:59/),
    });
  });

  test("the learner's line: opens, due in, late with the policy, closed", () => {
    const d = deadline(A, { opensAt: T0 - 7 * DAY_MS });
    const w = windowOf(d);
    expect(dueText(w, d, T0 - 8 * DAY_MS)).toBe("opens 2026-12-03 23:59 UTC (in 1 day)");
    expect(dueText(w, d, T0 - 2 * DAY_MS - 3 * HOUR_MS)).toBe("due 2026-12-10 23:59 UTC (in 2 days 3 h)");
    expect(dueText(w, d, T0 + HOUR_MS)).toBe(
      "late since 2026-12-10 23:59 UTC: −10 %/day, at most −50 % until 2026-12-17 23:59 UTC",
    );
    expect(dueText(w, d, T0 + 8 * DAY_MS)).toBe("closed 2026-12-17 23:59 UTC");
    expect(dueText(windowOf(d, T0 + DAY_MS), d, T0)).toBe("due 2026-12-11 23:59 UTC (extended) (in 1 day)");
    expect(span(90_000)).toBe("1 min");
  });
});
