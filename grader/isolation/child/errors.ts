// What a learner's code threw, read without running any of it.
import type { Thrown } from "./protocol";
import { ERRORS, getOwnPropertyDescriptor, getPrototypeOf, isProxy } from "./intrinsics";

const MAX_MESSAGE = 300;

/** A property's own value, if it is a data property (never a getter: it could run forever). */
export function dataField(o: object | null, k: string): unknown {
  for (let p = o; p; p = getPrototypeOf(p)) {
    if (isProxy(p)) return undefined;
    const d = getOwnPropertyDescriptor(p, k);
    if (d) return "value" in d ? d.value : undefined;
  }
  return undefined;
}

/**
 * A standard error's name ("Error" for subclasses, whose names the learner chooses) and its message,
 * read from data properties only and cut to 300 characters.
 */
export function describeError(e: unknown): Thrown {
  if (typeof e !== "object" || e === null || isProxy(e)) {
    const t = e === null ? "null" : isProxy(e) ? "Proxy" : typeof e;
    return { name: `${/^[aeiou]/.test(t) ? "an" : "a"} ${t}`, message: "" };
  }
  let name = "not an Error";
  for (let p = getPrototypeOf(e); p; p = getPrototypeOf(p)) {
    const std = ERRORS.find((x) => x.proto === p);
    if (std) {
      name = std.proto === getPrototypeOf(e) ? std.name : "Error";
      break;
    }
  }
  const message = dataField(e, "message"),
    code = dataField(e, "code");
  const text = typeof message === "string" ? message : "(no message)";
  const prefix = typeof code === "string" && /^[A-Z_]{3,40}$/.test(code) ? `[${code}] ` : "";
  return { name, message: `${prefix}${text}`.slice(0, MAX_MESSAGE) };
}
