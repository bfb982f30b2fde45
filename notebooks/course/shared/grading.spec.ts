import * as fs from "fs";
import * as path from "path";
import * as helper from "../../course";
import { grading } from "./grading";

const notebooks = path.join(__dirname, "..", "..");
const exported = Object.keys(helper);

test("every plot, demonstration and check the helper exports is replaced while grading", () => {
  const shown = exported.filter((k) => /^plot/.test(k) || ["demo", "checker", "progress", "submit"].includes(k));
  expect(shown.filter((k) => !(k in grading.replaced))).toEqual([]);
});

test("every replaced name is an export of the helper (a renamed plot would otherwise run while grading)", () => {
  expect(Object.keys(grading.replaced).filter((k) => !exported.includes(k))).toEqual([]);
});

test("the trusted modules, the call path and the empty imports are files of the course", () => {
  for (const id of [...grading.trusted, grading.helper])
    expect(fs.existsSync(path.join(notebooks, `${id}.ts`))).toBe(true);
  for (const id of grading.emptyImports) expect(fs.existsSync(path.join(notebooks, `${id}.js`))).toBe(true);
  expect(grading.trusted).toContain(grading.callPath);
  expect(grading.trusted).toContain(grading.ndarray.module);
  expect(grading.frozen.filter((id) => !grading.trusted.includes(id))).toEqual([]);
});

test("the call path and the NDArray class the manifest names are what those modules export", () => {
  const callPath = require(path.join(notebooks, grading.callPath));
  expect(typeof callPath.invokePart).toBe("function");
  expect(typeof callPath.NotDefined).toBe("function");
  const nd = require(path.join(notebooks, grading.ndarray.module))[grading.ndarray.name];
  expect(Object.getOwnPropertyDescriptor(nd.prototype, "data")?.get).toBeInstanceOf(Function);
});
