// The LTI 1.3 tool as the service holds it: its keys, its public URL (what platforms are told), the
// platforms' key sets (one jose remote JWKS per platform: cached, fetched again for an unknown kid),
// the client for the platforms' services, and the passback of scores.
import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";
import type { Platform, Store } from "../store";
import { createPassback, type Passback } from "./passback";
import { createPlatformClient, type PlatformClient } from "./services";
import { syncAll, syncContext, type SyncReport } from "./roster-sync";
import type { ToolKeys } from "./keys";

export interface LtiTool {
  keys: ToolKeys;
  /** The tool's URL as platforms reach it (no trailing slash). */
  publicUrl: string;
  keysOf(p: Platform): JWTVerifyGetKey;
  client: PlatformClient;
  passback: Passback;
  /** Roster sync of one course (after an instructor's launch) or all. */
  sync(contextOf?: { platformId: string; contextId: string }): Promise<SyncReport[]>;
}

export interface LtiToolOptions {
  store: Store;
  keys: ToolKeys;
  publicUrl: string;
  sections: string[];
  passbackEveryMs: number;
  log: (line: string) => void;
  fetch?: typeof fetch;
}

export function createLtiTool(o: LtiToolOptions): LtiTool {
  const sets = new Map<string, JWTVerifyGetKey>();
  const client = createPlatformClient(o.keys, o.fetch);
  return {
    keys: o.keys,
    publicUrl: o.publicUrl.replace(/\/+$/, ""),
    keysOf(p) {
      const key = `${p.id} ${p.jwksUrl}`;
      let set = sets.get(key);
      if (!set) sets.set(key, (set = createRemoteJWKSet(new URL(p.jwksUrl), { cooldownDuration: 30_000 })));
      return set;
    },
    client,
    passback: createPassback({
      store: o.store,
      client,
      sections: o.sections,
      everyMs: o.passbackEveryMs,
      log: o.log,
    }),
    async sync(which) {
      if (!which) return syncAll(o.store, client, Date.now());
      const c = (await o.store.lti.contexts()).find(
        (x) => x.platformId === which.platformId && x.contextId === which.contextId,
      );
      return c ? [await syncContext(o.store, client, c, Date.now())] : [];
    },
  };
}
