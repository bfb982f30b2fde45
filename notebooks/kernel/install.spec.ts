import * as path from "path";
import { otherCopy } from "./install.js";

const ours = path.join(__dirname, "start.js");
const theirs = "/home/ada/course/notebooks/kernel/start.js";

test("a kernel registered for another copy that still exists is named, so install refuses to take it over", () => {
  expect(otherCopy(["/usr/bin/node", theirs, "{connection_file}"], () => true)).toBe("/home/ada/course");
});

test("this copy's kernel, another copy that is gone, or no kernel at all is taken over without a word", () => {
  expect(otherCopy(["/usr/bin/node", ours, "{connection_file}"], () => true)).toBeUndefined();
  expect(otherCopy(["/usr/bin/node", theirs, "{connection_file}"], () => false)).toBeUndefined();
  expect(otherCopy(undefined)).toBeUndefined();
});
