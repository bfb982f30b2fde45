// Calls one part on a table of definitions — the learner's cells in the notebook's `check`, or the
// solution module in the grader — the way the grader's child process calls it (child-runner.ts).
import { toArg } from "./values";

/** A part is a function, or a method "Class.method" called on a fresh instance whose fields are set from args[0]. */
export interface Callable { name: string; method?: { stateFields: string[] } }

export class NotDefined extends Error {}

export function invokePart(defs: Record<string, any>, part: Callable, rawArgs: unknown[]): unknown {
  const args = rawArgs.map((a) => toArg(a, defs));
  if (!part.method) {
    const fn = defs[part.name];
    if (typeof fn !== "function") throw new NotDefined(`function \`${part.name}\` not found — run the cell that defines it`);
    return fn(...args);
  }
  const [className, method] = part.name.split(".");
  const Cls = defs[className];
  if (typeof Cls !== "function") throw new NotDefined(`class \`${className}\` not found — run the cell that defines it`);
  const obj = new Cls();
  Object.assign(obj, args[0]);
  if (typeof obj[method] !== "function") throw new Error(`${className} has no method \`${method}\` — was it renamed?`);
  const returned = obj[method](...args.slice(1));
  const missing = part.method.stateFields.filter((f) => !(f in obj));
  if (missing.length) throw new Error(`after ${method}, the ${className} has no field ${missing.map((f) => `\`${f}\``).join(", ")} — was it renamed?`);
  const out: Record<string, unknown> = { state: Object.fromEntries(part.method.stateFields.map((f) => [f, obj[f]])) };
  if (returned !== undefined) out.returned = returned;
  return out;
}
