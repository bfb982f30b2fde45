// The map is enforced: `npm run lint`'s rooms rule refuses an import past a front door, against the
// map's direction, or into the learner's helper past its shared door — and lets the house as it is pass.
import { spawnSync } from "child_process";
import * as path from "path";

const root = path.join(__dirname, "..");

/** ESLint with the project's config on `code` as if it were the file `as`. */
function lint(code: string, as: string): { status: number | null; out: string } {
  const r = spawnSync(
    process.execPath,
    [path.join(root, "node_modules", "eslint", "bin", "eslint.js"), "--stdin", "--stdin-filename", as],
    { cwd: root, input: code, encoding: "utf8" },
  );
  return { status: r.status, out: r.stdout + r.stderr };
}

test("an import past a room's index.ts is refused, naming the room", () => {
  const r = lint(
    'import { createIsolated } from "../isolation/run-isolated";\nvoid createIsolated;\n',
    "grader/pipeline/x.ts",
  );
  expect(r.status).toBe(1);
  expect(r.out).toMatch(/reaches past grader\/isolation\/index\.ts/);
});

test("a room importing against the map is refused, with what it may import", () => {
  const r = lint('import { gradeNotebook } from "../pipeline";\nvoid gradeNotebook;\n', "grader/isolation/x.ts");
  expect(r.status).toBe(1);
  expect(r.out).toMatch(/grader\/isolation may not import grader\/pipeline/);
});

test("grader/ reaching the learner's helper past notebooks/course/shared is refused", () => {
  const r = lint('import { NDArray } from "../../notebooks/course/ndarray";\nvoid NDArray;\n', "grader/sections/x.ts");
  expect(r.status).toBe(1);
  expect(r.out).toMatch(/only through notebooks\/course\/shared/);
});

test("the same names through the front doors pass", () => {
  const r = lint(
    'import { createIsolated } from "../isolation";\nimport { NDArray } from "../../notebooks/course/shared";\nexport type T = NDArray;\nvoid createIsolated;\n',
    "grader/pipeline/x.ts",
  );
  expect(r.out).toBe("");
  expect(r.status).toBe(0);
});
