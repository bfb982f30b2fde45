/* global console, process */
// The line budget (tinygrad's habit), run by `npm run lint`: no production file over 350 lines, and no
// room's front door (index.ts) offering a name that nothing outside the room imports.
import * as fs from "node:fs";
import * as path from "node:path";
import { execSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const MAX_LINES = 350;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const files = execSync("git ls-files -co --exclude-standard", { cwd: root, encoding: "utf8" })
  .split("\n")
  .filter((f) => /\.(ts|js|mjs)$/.test(f) && fs.existsSync(path.join(root, f)));
const read = (f) => fs.readFileSync(path.join(root, f), "utf8");
const problems = [];

// 1. Production files: everything but specs, tests, benchmarks and generated builds.
const production = files.filter(
  (f) => !/\.spec\.ts$/.test(f) && !/^(test|bench)\//.test(f) && !f.includes("/native/build/"),
);
for (const f of production) {
  const lines = read(f).split("\n").length - 1;
  if (lines > MAX_LINES) problems.push(`${f}: ${lines} lines, over the budget of ${MAX_LINES}: split it by concern`);
}

// 2. Front doors: each index.ts name must be imported by some file outside its room.
const indexes = files.filter((f) => /^(grader|notebooks)\/.*\/index\.ts$/.test(f));
function resolve(fromFile, spec) {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  for (const c of [base, `${base}.ts`, `${base}.js`, `${base}/index.ts`]) if (files.includes(c)) return c;
  return undefined;
}
const used = new Map(indexes.map((i) => [i, new Set()]));
const importRe =
  /(?:import|export)\s+(?:type\s+)?(\{[^}]*\}|\*\s+as\s+\w+)\s+from\s+["'](\.[^"']+)["']|require\(["'](\.[^"']+)["']\)\.(\w+)|(?:import|require)\(["'](\.[^"']+)["']\)\s+as\s+typeof/g;
for (const f of files) {
  for (const m of read(f).matchAll(importRe)) {
    const target = resolve(f, m[2] ?? m[3] ?? m[5]);
    if (!used.has(target) || f.startsWith(path.posix.dirname(target) + "/")) continue;
    if (m[4]) used.get(target).add(m[4]);
    else if (m[5])
      used.get(target).add("*"); // a module loaded when needed (`require("…") as typeof import("…")`): its names are used as a whole
    else if (m[1].startsWith("*")) used.get(target).add("*");
    else
      for (const part of m[1].slice(1, -1).split(","))
        if (part.trim())
          used.get(target).add(
            part
              .trim()
              .replace(/^type\s+/, "")
              .split(/\s+as\s+/)[0],
          );
  }
}
for (const index of indexes) {
  if (used.get(index).has("*")) continue;
  for (const m of read(index).matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g))
    for (const part of m[1].split(",")) {
      const name = part
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)
        .pop();
      if (name && !used.get(index).has(name))
        problems.push(`${index}: exports ${name}, which nothing outside ${path.posix.dirname(index)}/ imports`);
    }
}

if (problems.length) {
  for (const p of problems) console.error(`line-budget: ${p}`);
  process.exit(1);
}
console.log(
  `line-budget: ${production.length} production files within ${MAX_LINES} lines; ${indexes.length} front doors, every name used`,
);
