// Calls one part on a table of definitions — the learner's cells in the notebook's `check` and in
// the grader's learner process (child-runner.ts loads this file), the solution module in the grader.
// One call path, so the notebook and the grader cannot disagree on what a part's call is.
import { toArg } from "./values";

/**
 * A table of definitions: the learner's cells (tslab's exports), or a solution module. Its values are
 * functions and classes of every signature, called with arguments built at run time, so `any` is
 * the honest type of a value here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Definitions = Record<string, any>;

/** A part is a function, or a method "Class.method" called on a fresh instance whose fields are set from args[0]. */
export interface Callable {
  name: string;
  method?: { stateFields: string[] };
}

/** The name a part calls is not defined, or is not a function or class: `found` is what it is ("undefined", "number" …). */
export class NotDefined extends Error {
  constructor(
    readonly kind: "function" | "class",
    readonly what: string,
    readonly found: string,
  ) {
    super(
      found === "undefined"
        ? `${kind} \`${what}\` not found — run the cell that defines it`
        : `\`${what}\` is a ${found}, not a ${kind}`,
    );
  }
}

export function invokePart(defs: Definitions, part: Callable, rawArgs: unknown[]): unknown {
  const args = rawArgs.map((a) => toArg(a, defs));
  if (!part.method) {
    const fn = defs[part.name];
    if (typeof fn !== "function") throw new NotDefined("function", part.name, typeof fn);
    return fn(...args);
  }
  const [className, method] = part.name.split(".");
  const Cls = defs[className];
  if (typeof Cls !== "function") throw new NotDefined("class", className, typeof Cls);
  let obj: Record<string, unknown>;
  try {
    obj = new Cls();
  } catch (e) {
    throw new Error(`new ${className}() threw ${errorText(e)}`, { cause: e });
  }
  Object.assign(obj, args[0]);
  if (typeof obj[method] !== "function") throw new Error(`${className} has no method \`${method}\` — was it renamed?`);
  const returned = (obj[method] as (...a: unknown[]) => unknown)(...args.slice(1));
  const missing = part.method.stateFields.filter((f) => !(f in obj));
  if (missing.length)
    throw new Error(
      `after ${method}, the ${className} has no field ${missing.map((f) => `\`${f}\``).join(", ")} — was it renamed?`,
    );
  const out: Record<string, unknown> = { state: Object.fromEntries(part.method.stateFields.map((f) => [f, obj[f]])) };
  if (returned !== undefined) out.returned = returned;
  return out;
}

/** "Name: message" of what was thrown, read from data properties only (a getter could run forever). */
function errorText(e: unknown): string {
  const field = (k: string): unknown => {
    for (let p: object | null = e as object; p; p = Object.getPrototypeOf(p)) {
      const d = Object.getOwnPropertyDescriptor(p, k);
      if (d) return "value" in d ? d.value : undefined;
    }
    return undefined;
  };
  if (typeof e !== "object" || e === null) return String(e);
  const [name, message] = [field("name"), field("message")];
  return `${typeof name === "string" ? name : "Error"}: ${typeof message === "string" ? message.slice(0, 200) : "(no message)"}`;
}
