import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gradingFiles, sectionVersion } from "./version";

/** A course with one section: its exercise data, its notebook's text and its solution. */
function course(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "version-"));
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), text);
  }
  return root;
}
const base = {
  "exercises/07-x.ts": "export const exerciseSet = { points: 10 };",
  "exercises/07-x.data.ts": "export const hidden = [1, 2];",
  "exercises/07-x.notebook.ts": "export const text = 'Read me';",
  "exercises/070-other.ts": "export const exerciseSet = {};",
  "solutions/07-x.ts": "export const f = (x: number) => x;",
};

test("the version hashes the section's exercise data and solution, not its notebook's text or another section", () => {
  expect(gradingFiles("07-x", course(base))).toEqual([
    path.join("exercises", "07-x.data.ts"),
    path.join("exercises", "07-x.ts"),
    path.join("solutions", "07-x.ts"),
  ]);
  const v = sectionVersion("07-x", course(base));
  expect(v).toMatch(/^[0-9a-f]{12}$/);
  expect(sectionVersion("07-x", course({ ...base, "exercises/07-x.notebook.ts": "other prose" }))).toBe(v);
  expect(sectionVersion("07-x", course({ ...base, "exercises/070-other.ts": "changed" }))).toBe(v);
  expect(
    sectionVersion("07-x", course({ ...base, "exercises/07-x.data.ts": "export const hidden = [1, 3];" })),
  ).not.toBe(v);
  expect(
    sectionVersion("07-x", course({ ...base, "solutions/07-x.ts": "export const f = (x: number) => 2 * x;" })),
  ).not.toBe(v);
});

test("every section of the course has a version, each its own", async () => {
  const { listSections } = await import("./expected");
  const versions = listSections().map((s) => sectionVersion(s));
  expect(new Set(versions).size).toBe(versions.length);
});

test("a section without exercise data is an error that names it", () => {
  expect(() => sectionVersion("09-none", course(base))).toThrow(/no exercise set for section 09-none/);
});
