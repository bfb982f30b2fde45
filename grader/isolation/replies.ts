// What the learner's process sends, checked before the grader believes any of it: the message's
// shape, the sizes of its strings and values. A message that fails is treated as interference.
import type { LearnerEvent } from "./learner-process";
import { MAX_MESSAGE_CHARS, type FromChild, type Outcome, type WrongTypeReason } from "./child";

type Message<T extends FromChild["type"]> = Extract<FromChild, { type: T }>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const FIELDS: { [T in FromChild["type"]]: (m: Record<string, unknown>) => boolean } = {
  ready: () => true,
  startFailed: (m) => typeof m.message === "string",
  cell: (m) => isCount(m.cell),
  loaded: (m) => Array.isArray(m.errors),
  result: (m) => isCount(m.id) && isRecord(m.outcome),
  pong: (m) => isCount(m.id),
};

/** Whether the event is a message of this type with the fields it must have. */
export function isMessage<T extends FromChild["type"]>(
  e: LearnerEvent,
  type: T,
): e is { kind: "message"; message: Message<T> } {
  if (e.kind !== "message" || !isRecord(e.message) || e.message.type !== type) return false;
  return FIELDS[type](e.message);
}

// Absolute paths of two or more segments: not after a word, a dot or a bracket (so "1/2/3" and
// "a/b" stay), up to a space, a quote or punctuation.
const ABSOLUTE_PATH = /(?<![\w.)\]])(?:\/[^\s/:'"`|,;()[\]{}<>]+){2,}/g;
/**
 * Text the learner's process wrote, with every absolute path cut to its last segment ("…/x.js"):
 * the host's layout (the course folder, the temp folder, node's own) is not the learner's to learn
 * through a message that comes back in notes or feedback. The child hides its paths itself too
 * (lockdown.ts); this holds even if learner code changed how the child writes its messages.
 */
export const hidePaths = (s: string): string => s.replace(ABSOLUTE_PATH, (p) => `…/${p.slice(p.lastIndexOf("/") + 1)}`);

/** A "loaded" message's errors, if each names a cell that was started (at most once) with a message; else undefined. */
export function checkLoaded(m: Message<"loaded">, started: number[]): { cell: number; message: string }[] | undefined {
  const seen = new Set<number>();
  const out: { cell: number; message: string }[] = [];
  if (m.errors.length > started.length) return undefined;
  for (const e of m.errors as unknown[]) {
    if (
      !isRecord(e) ||
      !started.includes(e.cell as number) ||
      seen.has(e.cell as number) ||
      typeof e.message !== "string"
    )
      return undefined;
    seen.add(e.cell as number);
    out.push({ cell: e.cell as number, message: hidePaths(e.message.slice(0, MAX_MESSAGE_CHARS)) });
  }
  return out;
}

const REASONS = new Set<WrongTypeReason>([
  "proxy",
  "promise",
  "getter",
  "holes",
  "symbol-keys",
  "instance",
  "array-subclass",
  "typed-array-subclass",
  "too-many-numbers",
  "too-deep",
  "not-a-number",
  "broken-ndarray",
  "answer-form",
]);
/** What the child may name as thrown: a standard error, "Error" for subclasses, or a kind of value. */
const THROWN_NAMES =
  /^(Error|TypeError|RangeError|SyntaxError|ReferenceError|EvalError|URIError|AggregateError|not an Error|an? (undefined|null|number|string|boolean|symbol|bigint|function|object|Proxy))$/;
/** What the child says of a name it cannot call (child-runner.ts's own words, with a name from the exercise set). */
const MISSING = /^(not found|is an? \w+, not a function|class `[\w$]+` not found|`[\w$]+` is an? \w+, not a class)$/;
const text = (v: unknown, max = MAX_MESSAGE_CHARS) => (typeof v === "string" ? hidePaths(v.slice(0, max)) : undefined);

/** The most numbers a learner's value may hold (section 05's trained parameters hold 161,000). */
export const MAX_NUMBERS = 2_000_000;
/** Whether a value holds more numbers (or nested entries) than the grader will look at, counted without recursion. */
export function tooBig(v: unknown): boolean {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length) {
    const x = stack.pop();
    if (Array.isArray(x)) {
      n += x.length;
      if (n > MAX_NUMBERS) return true;
      for (let i = 0; i < x.length; i++) if (typeof x[i] === "object") stack.push(x[i]);
    } else if (x && typeof x === "object") {
      const vs = Object.values(x);
      n += vs.length;
      if (n > MAX_NUMBERS) return true;
      stack.push(...vs);
    }
  }
  return false;
}

/** A call's outcome as the grader will use it, or undefined when it is not one the child can send. */
export function checkOutcome(o: unknown): Outcome | undefined {
  if (!isRecord(o)) return undefined;
  switch (o.kind) {
    case "value":
      if (!("value" in o)) return undefined;
      return tooBig(o.value)
        ? {
            kind: "wrongType",
            reason: "too-many-numbers",
            message: `returned more than ${MAX_NUMBERS.toLocaleString("en")} numbers`,
          }
        : { kind: "value", value: o.value };
    case "threw": {
      const e = o.error;
      if (!isRecord(e) || typeof e.name !== "string" || !THROWN_NAMES.test(e.name) || text(e.message) === undefined)
        return undefined;
      return { kind: "threw", error: { name: text(e.name, 40)!, message: text(e.message)! } };
    }
    case "missing":
      return typeof o.message === "string" && MISSING.test(o.message)
        ? { kind: "missing", message: o.message }
        : undefined;
    case "wrongType": {
      if (!REASONS.has(o.reason as WrongTypeReason) || text(o.message) === undefined) return undefined;
      const detail = text(o.detail, 60);
      return {
        kind: "wrongType",
        reason: o.reason as WrongTypeReason,
        message: text(o.message)!,
        ...(detail ? { detail } : {}),
      };
    }
    case "unanswered":
      return { kind: "unanswered" };
    default:
      return undefined;
  }
}
