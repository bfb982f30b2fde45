// A section's exercise-set version: what a result was graded against, so that a result can say which
// edition of the hidden cases, tolerances and points judged it (and a regrade can tell old from new).
// It is a hash of the files that decide a grade — the section's exercise data (exercises/NN-name*.ts,
// without the notebook's text, *.notebook.ts) and its reference solution (solutions/NN-name.ts) —
// not of the notebook's prose. 12 hex digits of SHA-256: says nothing of what it hashes.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "./expected";

const cache = new Map<string, string>();

/** The files of `section` that decide its grades, relative to `root`, in a stable order. */
export function gradingFiles(section: string, root = projectRoot): string[] {
  const data = fs
    .readdirSync(path.join(root, "exercises"))
    .filter((f) => (f === `${section}.ts` || f.startsWith(`${section}.`)) && f.endsWith(".ts"))
    .filter((f) => !f.endsWith(".notebook.ts"))
    .map((f) => path.join("exercises", f));
  if (!data.length) throw new Error(`no exercise set for section ${section} in ${path.join(root, "exercises")}`);
  return [...data, path.join("solutions", `${section}.ts`)].sort();
}

/** The version of `section`'s exercise set as this checkout has it (computed once per process and root). */
export function sectionVersion(section: string, root = projectRoot): string {
  const key = `${root}\u0000${section}`;
  const known = cache.get(key);
  if (known) return known;
  const hash = createHash("sha256");
  for (const f of gradingFiles(section, root)) {
    hash.update(f.split(path.sep).join("/")).update("\u0000");
    hash.update(fs.readFileSync(path.join(root, f))).update("\u0000");
  }
  const version = hash.digest("hex").slice(0, 12);
  cache.set(key, version);
  return version;
}
