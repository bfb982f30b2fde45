import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadAdmissions, pick } from "./admissions";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "admissions-"));
const csv = (name: string, text: string) => {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
};

describe("loadAdmissions", () => {
  it("reads the course's 400 applicants with the counts data/README.md records", () => {
    const rows = loadAdmissions();
    expect(rows).toHaveLength(400);
    expect(rows[0]).toEqual({ admit: 0, gre: 380, gpa: 3.61, rank: 3 });
    expect(rows[399]).toEqual({ admit: 0, gre: 600, gpa: 3.89, rank: 3 });
    expect(rows.filter((r) => r.admit === 1)).toHaveLength(127);
    expect([1, 2, 3, 4].map((k) => rows.filter((r) => r.rank === k).length)).toEqual([61, 151, 121, 67]);
  });

  it("names the file, line and column of a value that is not a number", () => {
    const f = csv("bad.csv", "admit,gre,gpa,rank\n0,380,3.61,3\n1,abc,3.67,3\n");
    expect(() => loadAdmissions(f)).toThrow(`loadAdmissions: ${f} line 3: gre is "abc", expected a number`);
  });

  it("rejects a wrong header and a rank outside 1–4", () => {
    expect(() => loadAdmissions(csv("h.csv", "admit,gre,gpa\n0,380,3.61\n"))).toThrow(
      'header should be "admit,gre,gpa,rank", got "admit,gre,gpa"',
    );
    expect(() => loadAdmissions(csv("r.csv", "admit,gre,gpa,rank\n0,380,3.61,5\n"))).toThrow(
      "line 2: rank is 5, expected 1–4",
    );
  });

  it("reports a missing file with its path", () => {
    expect(() => loadAdmissions(path.join(tmp, "none.csv"))).toThrow(/ENOENT.*none\.csv/);
  });
});

test("pick returns the items at the given indices, in that order", () => {
  expect(pick(["a", "b", "c", "d"], [2, 0, 3])).toEqual(["c", "a", "d"]);
});
