// Stage 1 — load: read a .ipynb and insist on nbformat 4.
import * as fs from "fs";
import { InputError } from "./errors";

/** A notebook file's JSON as the grader's own tools read it (course build's output, already checked). */
export interface NotebookJson {
  cells: RawCell[];
  metadata?: Record<string, unknown>;
}

export interface RawCell {
  cell_type: string;
  source: string | string[];
  /** The `In [n]` Jupyter showed when the notebook was saved (code cells that were run). */
  execution_count?: number | null;
}
export interface Notebook {
  path: string;
  cells: RawCell[];
  /** Who the notebook says its author is (`metadata.course.learner`), if it says: a claim, not an identity. */
  learner?: string;
  /**
   * The variant's numbers the notebook was written for (`metadata.course.variant.params`, set by a
   * personal release): never graded against — only used to tell a learner that a copy holds another's.
   */
  claimedParams?: Record<string, number | number[]>;
}

/** Larger files are refused unread: a notebook with 20 MB of plots is fine, a 5 GB upload is not. */
export const MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024;

/** A notebook nests a dozen levels (outputs' JSON a few more): deeper is a bomb, refused unparsed. */
export const MAX_JSON_DEPTH = 64;
/** Objects and arrays in one notebook: a big plot holds thousands; millions are a bomb. */
export const MAX_JSON_CONTAINERS = 1_000_000;

/**
 * Refuses JSON whose structure would cost the parser (and whatever walks its result) far more than
 * its size suggests: nesting deeper than MAX_JSON_DEPTH, or more than MAX_JSON_CONTAINERS objects
 * and arrays. One pass over the text, outside strings; the text need not be valid JSON.
 */
export function checkJsonShape(path: string, text: string): void {
  let depth = 0,
    containers = 0,
    inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash: skip what it escapes
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH)
        throw new InputError(`${path}: not a notebook — its JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
      if (++containers > MAX_JSON_CONTAINERS)
        throw new InputError(
          `${path}: not a notebook — its JSON holds more than ${MAX_JSON_CONTAINERS.toLocaleString("en")} objects and lists (clear the outputs and submit again)`,
        );
    } else if (c === 125 || c === 93) depth--;
  }
}

const readLimited = (p: string) => {
  const size = fs.statSync(p).size;
  if (size > MAX_NOTEBOOK_BYTES)
    throw new InputError(
      `${p}: ${(size / 1048576).toFixed(0)} MB — notebooks over ${MAX_NOTEBOOK_BYTES / 1048576} MB are refused (clear the outputs and submit again)`,
    );
  return fs.readFileSync(p, "utf8");
};

export function loadNotebook(path: string, readFile: (p: string) => string = readLimited): Notebook {
  let text: string;
  try {
    text = readFile(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === "ENOENT" ? `${path}: no such file` : `${path}: cannot read (${code ?? (e as Error).message})`,
    );
  }
  /** The fields of a notebook the grader reads; whatever the file holds is checked before it is used. */
  let json: {
    nbformat?: unknown;
    cells?: unknown;
    metadata?: { course?: { learner?: unknown; variant?: { params?: unknown } } };
  };
  checkJsonShape(path, text);
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new InputError(
      `${path}: not a notebook — the file is not valid JSON (${(e as Error).message.replace(/\s+/g, " ").slice(0, 120)})`,
    );
  }
  if (json === null || typeof json !== "object" || Array.isArray(json))
    throw new InputError(`${path}: not a notebook — expected a JSON object`);
  if (json.nbformat !== 4) {
    const got = json.nbformat === undefined ? "no nbformat field" : `nbformat ${json.nbformat}`;
    throw new InputError(`${path}: unsupported notebook format (${got}); save it as nbformat 4 (Jupyter ≥ 4)`);
  }
  if (!Array.isArray(json.cells)) throw new InputError(`${path}: not a notebook — nbformat 4 requires a "cells" list`);
  const cells = (json.cells as { cell_type?: unknown; source?: unknown }[]).map((c, i) => {
    const ok =
      c &&
      typeof c.cell_type === "string" &&
      (typeof c.source === "string" ||
        (Array.isArray(c.source) && c.source.every((s: unknown) => typeof s === "string")));
    if (!ok)
      throw new InputError(
        `${path}: cell ${i + 1} is malformed (needs cell_type and a string or list-of-strings source)`,
      );
    const count = (c as { execution_count?: unknown }).execution_count;
    return {
      cell_type: c.cell_type as string,
      source: c.source as string | string[],
      execution_count: Number.isInteger(count) ? (count as number) : null,
    };
  });
  const learner = json.metadata?.course?.learner;
  const claimed = paramsOf(json.metadata?.course?.variant?.params);
  return {
    path,
    cells,
    ...(typeof learner === "string" && learner.trim() ? { learner: learner.slice(0, 10_000) } : {}),
    ...(claimed ? { claimedParams: claimed } : {}),
  };
}

/** A variant's numbers as a notebook may hold them: a few finite numbers or short lists of them; else nothing. */
function paramsOf(v: unknown): Record<string, number | number[]> | undefined {
  if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
  const entries = Object.entries(v);
  const finite = (x: unknown) => typeof x === "number" && Number.isFinite(x);
  const ok =
    entries.length <= 32 &&
    entries.every(([, x]) => finite(x) || (Array.isArray(x) && x.length <= 64 && x.every(finite)));
  return ok ? (Object.fromEntries(entries) as Record<string, number | number[]>) : undefined;
}
