// Which learners handed in the same code: every submission's own code (the released notebook's code
// removed — given cells, stubs' signatures, check calls) fingerprinted (winnow.ts) and compared with
// every other's. A pair's score is the share of the smaller one's fingerprints the two have in common.
// Fingerprints that most of the class shares are the exercise's natural shape, not copying: they are
// left out (as MOSS's -m does), and the report shows the whole distribution of pair scores.
import { tokenize, type Token } from "./tokens";
import { winnow, K } from "./winnow";

export interface SubmittedCode {
  name: string;
  cells: { cell: number; source: string }[];
}

export interface Compared {
  name: string;
  cells: { cell: number; source: string }[];
  tokens: Token[];
  /** Each fingerprint of the learner's own code, with the tokens where its runs start. */
  prints: Map<number, number[]>;
}

export interface Region {
  cell: number;
  from: number;
  to: number;
}

export interface Pair {
  a: number;
  b: number;
  score: number;
  shared: number;
}

export interface Similarity {
  compared: Compared[];
  /** Submissions with too little code of their own to compare, and why. */
  skipped: { name: string; why: string }[];
  /** Every pair with something in common, highest score first. */
  pairs: Pair[];
  /** All pairs of compared submissions, those with nothing in common included. */
  pairCount: number;
  /** Fingerprints left out because at least `commonShare` of the submissions have them. */
  common: number;
}

export interface SimilarityOptions {
  /** A fingerprint in at least this share of the submissions (and in 4 or more) is the exercise's shape. */
  commonShare?: number;
  /** Fewer fingerprints of its own than this, and a submission is not compared. */
  minPrints?: number;
}

function fingerprint(cells: { cell: number; source: string }[]): { tokens: Token[]; prints: Map<number, number[]> } {
  const tokens = cells.flatMap((c) => tokenize(c.source, c.cell));
  const prints = new Map<number, number[]>();
  for (const f of winnow(tokens)) {
    const at = prints.get(f.hash);
    if (at) at.push(f.at);
    else prints.set(f.hash, [f.at]);
  }
  return { tokens, prints };
}

export function compareCode(
  submissions: SubmittedCode[],
  base: { cell: number; source: string }[],
  opts: SimilarityOptions = {},
): Similarity {
  const commonShare = opts.commonShare ?? 0.5,
    minPrints = opts.minPrints ?? 8;
  const baseText = new Set(base.map((c) => c.source.trim()));
  const basePrints = new Set(fingerprint(base).prints.keys());
  const compared: Compared[] = [],
    skipped: Similarity["skipped"] = [];
  for (const s of submissions) {
    const own = s.cells.filter((c) => !baseText.has(c.source.trim()));
    const { tokens, prints } = fingerprint(own);
    for (const h of basePrints) prints.delete(h);
    if (prints.size < minPrints)
      skipped.push({ name: s.name, why: `${prints.size} fingerprints of its own code (${minPrints} needed)` });
    else compared.push({ name: s.name, cells: own, tokens, prints });
  }
  // Who has each fingerprint; those most of the class has are left out.
  const holders = new Map<number, number[]>();
  compared.forEach((c, i) => {
    for (const h of c.prints.keys()) {
      const who = holders.get(h);
      if (who) who.push(i);
      else holders.set(h, [i]);
    }
  });
  const n = compared.length;
  let common = 0;
  for (const [h, who] of holders)
    if (n >= 4 && who.length >= commonShare * n) {
      holders.delete(h);
      for (const i of who) compared[i].prints.delete(h);
      common++;
    }
  const shared = new Map<number, number>();
  for (const who of holders.values())
    for (let x = 0; x < who.length; x++)
      for (let y = x + 1; y < who.length; y++) {
        const key = who[x] * n + who[y];
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
  const pairs: Pair[] = [...shared].map(([key, count]) => {
    const a = Math.floor(key / n),
      b = key % n;
    const smaller = Math.min(compared[a].prints.size, compared[b].prints.size);
    return { a, b, shared: count, score: smaller ? count / smaller : 0 };
  });
  pairs.sort((p, q) => q.score - p.score || q.shared - p.shared);
  return { compared, skipped, pairs, pairCount: (n * (n - 1)) / 2, common };
}

/** The lines of each side that the pair's shared fingerprints cover, as runs of lines per cell. */
export function matchedRegions(a: Compared, b: Compared): { a: Region[]; b: Region[] } {
  const sides = { a: [] as Token[], b: [] as Token[] };
  for (const [h, at] of a.prints) {
    const other = b.prints.get(h);
    if (!other) continue;
    for (const i of at) sides.a.push(...a.tokens.slice(i, i + K));
    for (const i of other) sides.b.push(...b.tokens.slice(i, i + K));
  }
  return { a: regions(sides.a), b: regions(sides.b) };
}

function regions(tokens: Token[]): Region[] {
  const lines = [...new Set(tokens.map((t) => `${t.cell}:${t.line}`))]
    .map((k) => k.split(":").map(Number))
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: Region[] = [];
  for (const [cell, line] of lines) {
    const last = out[out.length - 1];
    if (last && last.cell === cell && line <= last.to + 1) last.to = line;
    else out.push({ cell, from: line, to: line });
  }
  return out;
}
