// What the service keeps for LTI 1.3 (grader/service/lti): the platforms registered, the courses
// (contexts) launched from, their members and the learners they are, nonces already used, line items,
// and the outbox of scores to send back (lti-scores.ts).
import { randomBytes } from "crypto";
import type { Sql } from "./sql";
import { createScoreOutbox, type ScoreKey, type ScoreOutbox } from "./lti-scores";

export type { OutgoingScore, ScoreKey } from "./lti-scores";

export interface Platform {
  id: string;
  issuer: string;
  clientId: string;
  deploymentIds: string[];
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
}

export interface LtiContext {
  platformId: string;
  contextId: string;
  deploymentId: string;
  title: string;
  membershipsUrl?: string;
  lineitemsUrl?: string;
  agsScopes: string[];
}

export interface Member {
  platformId: string;
  contextId: string;
  /** The platform's user id (the launch's `sub`). */
  userId: string;
  learnerId?: string;
  role: "learner" | "instructor";
  email: string;
  name: string;
}

export interface LtiStore extends ScoreOutbox {
  /** Registers a platform, or adds deployments to one registered with the same issuer and client id. */
  addPlatform(p: Omit<Platform, "id">, now: number): Promise<Platform>;
  platforms(): Promise<Platform[]>;
  platform(id: string): Promise<Platform | undefined>;
  /** Nonce of an accepted launch: false when it was used before (a replay). Expired nonces are dropped. */
  useNonce(nonce: string, expiresAt: number, now: number): Promise<boolean>;
  putContext(c: LtiContext, now: number): Promise<void>;
  contexts(): Promise<LtiContext[]>;
  /** Adds or updates a member (keeping the learner they were linked to unless given). */
  putMember(m: Member, now: number): Promise<void>;
  members(platformId: string, contextId: string): Promise<Member[]>;
  /** A learner LTI made (no one has seen their token yet), recorded once. */
  madeByLti(learnerId: string): Promise<void>;
  /** Whether LTI made this learner, and when a launch page last showed their token (undefined: a roster's learner). */
  tokenShown(learnerId: string): Promise<{ at?: number } | undefined>;
  setTokenShown(learnerId: string, now: number): Promise<void>;
  lineItem(k: Omit<ScoreKey, "userId">): Promise<string | undefined>;
  setLineItem(k: Omit<ScoreKey, "userId">, url: string): Promise<void>;
}

interface PlatformRow {
  id: string;
  issuer: string;
  client_id: string;
  deployment_ids: string;
  auth_url: string;
  token_url: string;
  jwks_url: string;
}
const toPlatform = (r: PlatformRow): Platform => ({
  id: r.id,
  issuer: r.issuer,
  clientId: r.client_id,
  deploymentIds: JSON.parse(r.deployment_ids),
  authUrl: r.auth_url,
  tokenUrl: r.token_url,
  jwksUrl: r.jwks_url,
});

export function createLtiStore(sql: Sql): LtiStore {
  return { ...createScoreOutbox(sql), ...platformsIn(sql), ...coursesIn(sql), ...tokensAndItemsIn(sql) };
}

type Part<K extends keyof LtiStore> = Pick<LtiStore, K>;

/** The platforms registered, and the launches' nonces seen. */
function platformsIn(sql: Sql): Part<"addPlatform" | "platforms" | "platform" | "useNonce"> {
  const platformBy = async (where: string, params: unknown[]) => {
    const [r] = await sql.all<PlatformRow>(`SELECT * FROM lti_platforms WHERE ${where}`, params);
    return r && toPlatform(r);
  };
  return {
    async addPlatform(p, now) {
      const old = await platformBy("issuer = ? AND client_id = ?", [p.issuer, p.clientId]);
      const deployments = [...new Set([...(old?.deploymentIds ?? []), ...p.deploymentIds])];
      if (old)
        await sql.run(
          `UPDATE lti_platforms SET deployment_ids = ?, auth_url = ?, token_url = ?, jwks_url = ? WHERE id = ?`,
          [JSON.stringify(deployments), p.authUrl, p.tokenUrl, p.jwksUrl, old.id],
        );
      else
        await sql.run(
          `INSERT INTO lti_platforms (id, issuer, client_id, deployment_ids, auth_url, token_url, jwks_url, added_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            `p_${randomBytes(6).toString("base64url")}`,
            p.issuer,
            p.clientId,
            JSON.stringify(deployments),
            p.authUrl,
            p.tokenUrl,
            p.jwksUrl,
            now,
          ],
        );
      return (await platformBy("issuer = ? AND client_id = ?", [p.issuer, p.clientId]))!;
    },
    platforms: async () =>
      (await sql.all<PlatformRow>("SELECT * FROM lti_platforms ORDER BY added_at, id")).map(toPlatform),
    platform: (id) => platformBy("id = ?", [id]),
    async useNonce(nonce, expiresAt, now) {
      await sql.run("DELETE FROM lti_nonces WHERE expires_at < ?", [now]);
      return (
        (await sql.run("INSERT INTO lti_nonces (nonce, expires_at) VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING", [
          nonce,
          expiresAt,
        ])) === 1
      );
    },
  };
}

/** The courses launched from (their service URLs) and their members. */
function coursesIn(sql: Sql): Part<"putContext" | "contexts" | "putMember" | "members"> {
  return {
    putContext: (c, now) =>
      sql
        .run(
          `INSERT INTO lti_contexts (platform_id, context_id, deployment_id, title, memberships_url, lineitems_url, ags_scopes, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (platform_id, context_id) DO UPDATE SET deployment_id = excluded.deployment_id,
             title = excluded.title, memberships_url = excluded.memberships_url,
             lineitems_url = excluded.lineitems_url, ags_scopes = excluded.ags_scopes, updated_at = excluded.updated_at`,
          [
            c.platformId,
            c.contextId,
            c.deploymentId,
            c.title,
            c.membershipsUrl ?? null,
            c.lineitemsUrl ?? null,
            JSON.stringify(c.agsScopes),
            now,
          ],
        )
        .then(() => undefined),
    contexts: async () =>
      (
        await sql.all<{
          platform_id: string;
          context_id: string;
          deployment_id: string;
          title: string;
          memberships_url: string | null;
          lineitems_url: string | null;
          ags_scopes: string;
        }>("SELECT * FROM lti_contexts ORDER BY platform_id, context_id")
      ).map((r) => ({
        platformId: r.platform_id,
        contextId: r.context_id,
        deploymentId: r.deployment_id,
        title: r.title,
        ...(r.memberships_url ? { membershipsUrl: r.memberships_url } : {}),
        ...(r.lineitems_url ? { lineitemsUrl: r.lineitems_url } : {}),
        agsScopes: JSON.parse(r.ags_scopes),
      })),
    putMember: (m, now) =>
      sql
        .run(
          `INSERT INTO lti_members (platform_id, context_id, user_id, learner_id, role, email, name, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (platform_id, context_id, user_id) DO UPDATE SET
             learner_id = COALESCE(excluded.learner_id, lti_members.learner_id), role = excluded.role,
             email = excluded.email, name = excluded.name, updated_at = excluded.updated_at`,
          [m.platformId, m.contextId, m.userId, m.learnerId ?? null, m.role, m.email, m.name, now],
        )
        .then(() => undefined),
    members: async (platformId, contextId) =>
      (
        await sql.all<{
          user_id: string;
          learner_id: string | null;
          role: Member["role"];
          email: string;
          name: string;
        }>("SELECT * FROM lti_members WHERE platform_id = ? AND context_id = ? ORDER BY email", [platformId, contextId])
      ).map((r) => ({
        platformId,
        contextId,
        userId: r.user_id,
        ...(r.learner_id ? { learnerId: r.learner_id } : {}),
        role: r.role,
        email: r.email,
        name: r.name,
      })),
  };
}

/** Whether a learner LTI brought in has seen a token, and the sections' line items. */
function tokensAndItemsIn(sql: Sql): Part<"madeByLti" | "tokenShown" | "setTokenShown" | "lineItem" | "setLineItem"> {
  return {
    madeByLti: (learnerId) =>
      sql
        .run(
          "INSERT INTO lti_tokens_shown (learner_id, shown_at) VALUES (?, NULL) ON CONFLICT (learner_id) DO NOTHING",
          [learnerId],
        )
        .then(() => undefined),
    async tokenShown(learnerId) {
      const [r] = await sql.all<{ shown_at: number | null }>(
        "SELECT shown_at FROM lti_tokens_shown WHERE learner_id = ?",
        [learnerId],
      );
      return r && (r.shown_at === null ? {} : { at: r.shown_at });
    },
    setTokenShown: (learnerId, now) =>
      sql
        .run(
          `INSERT INTO lti_tokens_shown (learner_id, shown_at) VALUES (?, ?)
           ON CONFLICT (learner_id) DO UPDATE SET shown_at = excluded.shown_at`,
          [learnerId, now],
        )
        .then(() => undefined),
    lineItem: async (k) =>
      (
        await sql.all<{ url: string }>(
          "SELECT url FROM lti_line_items WHERE platform_id = ? AND context_id = ? AND section = ?",
          [k.platformId, k.contextId, k.section],
        )
      )[0]?.url,
    setLineItem: (k, url) =>
      sql
        .run(
          `INSERT INTO lti_line_items (platform_id, context_id, section, url) VALUES (?, ?, ?, ?)
           ON CONFLICT (platform_id, context_id, section) DO UPDATE SET url = excluded.url`,
          [k.platformId, k.contextId, k.section, url],
        )
        .then(() => undefined),
  };
}
