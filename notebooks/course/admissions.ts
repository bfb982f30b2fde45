// The graduate-admissions data (data/admissions/binary.csv) as typed rows, read with csv-parse.

/** One applicant: admitted (0/1), GRE score, GPA, and the rank (1–4) of their undergraduate school. */
import { courseDir, load, type NodeFs } from "./node";
export interface AdmissionRow {
  admit: number;
  gre: number;
  gpa: number;
  rank: number;
}
/** A design matrix and its targets: `features` is (records, features), `targets` is (records,). */
export interface Dataset {
  features: number[][];
  targets: number[];
}
/** Row indices: `train` in the order drawn, `test` in the original order. */
export interface Split {
  train: number[];
  test: number[];
}

const COLUMNS = ["admit", "gre", "gpa", "rank"] as const;

/** Reads and validates the admissions CSV (400 rows); `file` defaults to the course's copy. */
export function loadAdmissions(file = `${courseDir}/../../data/admissions/binary.csv`): AdmissionRow[] {
  const { parse } = load<{ parse(text: string, options: object): string[][] }>("csv-parse/sync");
  const text = load<NodeFs>("fs").readFileSync(file, "utf8");
  const records: string[][] = parse(text, { skip_empty_lines: true });
  const header = records[0]?.join(",");
  if (header !== COLUMNS.join(","))
    throw new Error(`loadAdmissions: ${file}: header should be "${COLUMNS.join(",")}", got "${header}"`);
  return records.slice(1).map((r, i) => {
    const row = {} as AdmissionRow;
    COLUMNS.forEach((c, j) => {
      const v = Number(r[j]);
      if (r[j] === undefined || r[j].trim() === "" || !Number.isFinite(v))
        throw new Error(`loadAdmissions: ${file} line ${i + 2}: ${c} is "${r[j] ?? ""}", expected a number`);
      row[c] = v;
    });
    if (![1, 2, 3, 4].includes(row.rank))
      throw new Error(`loadAdmissions: ${file} line ${i + 2}: rank is ${row.rank}, expected 1–4`);
    return row;
  });
}

/** The rows at `indices`, in that order: `pick(features, split.train)`. */
export const pick = <T>(items: T[], indices: number[]): T[] => indices.map((i) => items[i]);
