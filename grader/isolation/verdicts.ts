// What a run tells the grader when it cannot go on, in words that say whose problem it is: the
// learner's code (timeout, budget, interfered) or the machine's ("overloaded": graded again later).
import { learnerMs } from "./cpu-meter";
import type { Waited } from "./learner-process";

/** Why nothing more can be called, and how a call is told so ("startFailed" is the grader's problem, the rest the notebook's). */
export type Fatal = { kind: "timeout" | "startFailed" | "budget" | "interfered" | "overloaded"; message: string };

export const budgetFatal = (limitMs: number): Fatal => ({
  kind: "budget",
  message: `grading stopped: the notebook used all of its ${Math.round(limitMs / 1000)} s`,
});
export const overloaded = (e: Waited, limitMs: number, what: string): Fatal => ({
  kind: "overloaded",
  message: `the machine was too busy to grade fairly: ${what} took ${(e.used.wallMs / 1000).toFixed(0)} s by the clock while the learner's code used ${(learnerMs(e.used) / 1000).toFixed(1)} s of its ${(limitMs / 1000).toFixed(1)} s`,
});
export const interfered = (why: string): Fatal => ({
  kind: "interfered",
  message: `the learner's process ${why}: the notebook's code interfered with the grader's channel, so nothing more was run`,
});

/** A call over its limit, in words that say which kind of runaway it was. */
export function timeoutText(e: Waited, limitMs: number): string {
  return e.used.idleMs > e.used.cpuMs
    ? `timed out: it waited ${limitMs} ms without computing — a promise that never resolves, or a wait that never ends?`
    : `timed out after ${limitMs} ms of CPU — an infinite loop?`;
}
