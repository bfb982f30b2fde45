// The learner bundle's package-lock.json: the project's own lock cut down to what the learner's
// dependencies reach, so `npm ci` in a release installs exactly the versions the course was tested
// with (tslab's patch in patches/ fits one version only), without asking the registry to resolve
// anything at release time.

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  [field: string]: unknown;
}
interface Lock {
  name?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/** Where npm finds `dep` for the package installed at `from` ("" is the root): its own node_modules, then each parent's. */
export function resolveIn(packages: Record<string, LockEntry>, from: string, dep: string): string | undefined {
  let at = from;
  for (;;) {
    const candidate = `${at ? `${at}/` : ""}node_modules/${dep}`;
    if (packages[candidate]) return candidate;
    if (!at) return undefined;
    const cut = at.lastIndexOf("/node_modules/");
    at = cut < 0 ? "" : at.slice(0, cut);
  }
}

/** `lock` reduced to the packages `dependencies` (name → range, the learner's package.json) reach. */
export function learnerLock(lock: Lock, name: string, dependencies: Record<string, string>): Lock {
  if (lock.lockfileVersion < 2)
    throw new Error(
      `release: package-lock.json is lockfileVersion ${lock.lockfileVersion}; npm 7 or later writes 2 or 3`,
    );
  const keep = new Set<string>();
  const visit = (from: string, deps: Record<string, string>, optional: Set<string>) => {
    for (const dep of Object.keys(deps)) {
      const at = resolveIn(lock.packages, from, dep);
      if (!at) {
        if (optional.has(dep)) continue;
        throw new Error(`release: package-lock.json has no ${dep} for ${from || "the course"}: run npm install`);
      }
      if (keep.has(at)) continue;
      keep.add(at);
      const e = lock.packages[at];
      const peersOptional = Object.entries(e.peerDependenciesMeta ?? {})
        .filter(([, m]) => m.optional)
        .map(([d]) => d);
      visit(
        at,
        { ...e.dependencies, ...e.optionalDependencies, ...e.peerDependencies },
        new Set([...Object.keys(e.optionalDependencies ?? {}), ...peersOptional]),
      );
    }
  };
  visit("", dependencies, new Set());
  const packages: Record<string, LockEntry> = { "": { name, dependencies } };
  for (const at of [...keep].sort()) {
    // Every package the learner installs is theirs to run: none is a development dependency there.
    const { dev: _dev, devOptional, ...entry } = lock.packages[at];
    packages[at] = devOptional ? { ...entry, optional: true } : entry;
  }
  return { name, lockfileVersion: lock.lockfileVersion, requires: true, packages };
}
