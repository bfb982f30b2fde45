import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

test("every data file matches the sha256 in data/README.md's provenance table", () => {
  const dir = path.join(__dirname, "..", "data");
  const rows = [
    ...fs.readFileSync(path.join(dir, "README.md"), "utf8").matchAll(/^\| `([^`]+)` \|.*\| ([0-9a-f]{64}) \|$/gm),
  ];
  expect(rows.length).toBeGreaterThan(0);
  for (const [, file, sha] of rows)
    expect(
      createHash("sha256")
        .update(fs.readFileSync(path.join(dir, file)))
        .digest("hex"),
    ).toBe(sha);
});
