import * as fs from "fs";
import * as path from "path";
import { RandomState } from "./random";

// Reference streams written by NumPy itself (test/fixtures/numpy-random.py); no Python needed here.
interface Step {
  call: string;
  args: any[];
  kwargs: Record<string, any>;
  value: unknown;
}
interface Case {
  seed: number;
  uint32?: number[];
  steps?: Step[];
}
const fixtures: { numpy: string; cases: Case[] } = JSON.parse(
  fs.readFileSync(path.join(__dirname, "../../test/fixtures/numpy-random.json"), "utf8"),
);

/** Calls our method the way the fixture called NumPy's (keyword arguments in NumPy's order). */
function call(rs: RandomState, { call, args, kwargs }: Step): unknown {
  const size = kwargs.size;
  switch (call) {
    case "rand":
      return rs.rand(...args);
    case "randn":
      return rs.randn(...args);
    case "random_sample":
      return size === undefined ? rs.randomSample() : rs.randomSample(size);
    case "standard_normal":
      return size === undefined ? rs.standardNormal() : rs.standardNormal(size);
    case "normal":
      return rs.normal(kwargs.loc ?? 0, kwargs.scale ?? 1, size);
    case "randint":
      return rs.randint(args[0], args[1], size);
    case "choice":
      return rs.choice(args[0], size, kwargs.replace ?? true);
    case "permutation":
      return rs.permutation(args[0]);
    case "shuffle": {
      const a = structuredClone(args[0]);
      rs.shuffle(a);
      return a;
    }
    default:
      throw new Error(`no mapping for ${call}`);
  }
}

describe(`RandomState reproduces NumPy ${fixtures.numpy}'s legacy streams`, () => {
  it("gives the values the issue quotes for seed 42", () => {
    expect(new RandomState(42).rand(3)).toEqual([0.3745401188473625, 0.9507143064099162, 0.7319939418114051]);
    expect(new RandomState(42).randn(3)).toEqual([0.4967141530112327, -0.13826430117118466, 0.6476885381006925]);
  });

  const raw = fixtures.cases.filter((c) => c.uint32);
  it.each(raw.map((c) => [c.seed, c] as const))(
    "matches 1300 raw 32-bit words after seed %i (two state refills)",
    (_seed, c) => {
      const rs = new RandomState(c.seed);
      expect(Array.from({ length: c.uint32!.length }, () => rs.nextUint32())).toEqual(c.uint32);
    },
  );

  // NOTE: normals use log(). NumPy calls glibc's log, which is not quite correctly rounded
  // (error < 0.52 ULP); ours is (see log.ts), while V8's Math.log misses ~3 % of inputs. So a
  // normal may differ in its last bit where the true log lies within a hair of a rounding tie:
  // 1 pair in the 2500-pair stream below. Everything else must be identical, bit for bit.
  const normals = new Set(["randn", "normal", "standard_normal"]);
  const tally = { normals: 0, offByUlp: 0 };
  const streams = fixtures.cases.filter((c) => c.steps);
  it.each(
    streams.map(
      (c) =>
        [
          c.seed,
          c
            .steps!.map((s) => s.call)
            .join(", ")
            .slice(0, 80),
          c,
        ] as const,
    ),
  )("matches every value after seed %i: %s", (_seed, _calls, c) => {
    const rs = new RandomState(c.seed);
    c.steps!.forEach((step, i) => {
      const got = call(rs, step);
      const where = `step ${i} ${step.call}(${JSON.stringify(step.args)}, ${JSON.stringify(step.kwargs)})`;
      if (!normals.has(step.call)) {
        if (JSON.stringify(got) !== JSON.stringify(step.value)) throw new Error(`${where} differs`);
        return;
      }
      const [g, e] = [[got].flat(9) as number[], [step.value].flat(9) as number[]];
      expect(g).toHaveLength(e.length);
      g.forEach((v, k) => {
        tally.normals++;
        if (v === e[k]) return;
        tally.offByUlp++;
        if (Math.abs(v - e[k]) > 2 * ulp(e[k])) throw new Error(`${where} element ${k}: ${v} vs NumPy ${e[k]}`);
      });
    });
  });

  it("agrees bit for bit on at least 99.9 % of normals (the rest within 2 ULP: glibc's log rounding)", () => {
    expect(tally.normals).toBeGreaterThan(5000);
    expect(tally.offByUlp / tally.normals).toBeLessThan(0.001);
  });

  it("covers every method the course uses", () => {
    const calls = new Set(streams.flatMap((c) => c.steps!.map((s) => s.call)));
    for (const m of [
      "rand",
      "randn",
      "normal",
      "choice",
      "permutation",
      "shuffle",
      "randint",
      "random_sample",
      "standard_normal",
    ])
      expect(calls).toContain(m);
  });
});

const ulp = (x: number) => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);

describe("RandomState", () => {
  it("restarts the stream and forgets a cached normal when reseeded", () => {
    const rs = new RandomState(5);
    const first = rs.randn(3);
    rs.seed(5);
    expect(rs.randn(3)).toEqual(first);
  });

  it("rejects seeds NumPy rejects, naming the range", () => {
    expect(() => new RandomState(-1)).toThrow("seed must be an integer between 0 and 2**32 - 1, got -1");
    expect(() => new RandomState(2 ** 32)).toThrow(RangeError);
    expect(() => new RandomState(1.5)).toThrow(RangeError);
  });

  it("refuses to sample more than the population without replacement", () => {
    expect(() => new RandomState(0).choice(3, 4, false)).toThrow("cannot take 4 samples from 3 without replacement");
  });

  it("picks array elements, not indices, when given an array", () => {
    const picked = new RandomState(1).choice(["a", "b", "c"], 5);
    expect(picked).toHaveLength(5);
    for (const p of picked) expect(["a", "b", "c"]).toContain(p);
  });

  it("rejects a negative scale and bad sizes", () => {
    expect(() => new RandomState(0).normal(0, -1, 3)).toThrow("scale must be ≥ 0, got -1");
    expect(() => new RandomState(0).rand(2.5)).toThrow("size must be non-negative integers");
  });
});
