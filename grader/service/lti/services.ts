// The tool calling a platform's services (IMS Security Framework §4.1, NRPS 2.0, AGS 2.0): an access
// token from the platform's token endpoint by the client-credentials grant with a signed JWT assertion
// (cached per platform and scopes until it expires), then the members of a course (following
// `Link: rel="next"`), a section's line item (looked up by resourceId before one is created), and a
// learner's Score. Every failure says which platform endpoint answered what, and whether trying again
// later can help (`retry`).
import { randomBytes } from "crypto";
import { SignJWT } from "jose";
import type { Platform } from "../store";
import { SCOPES } from "./claims";
import { ALG, type ToolKeys } from "./keys";

export class PlatformError extends Error {
  constructor(
    message: string,
    /** Worth trying again later: the platform was down, slow, or said so (5xx, 408, 429, no answer). */
    readonly retry: boolean,
    /** The platform's HTTP status, when it answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "PlatformError";
  }
}

export interface PlatformClient {
  /** The members of a course (NRPS), every page. */
  members(p: Platform, membershipsUrl: string): Promise<NrpsMember[]>;
  /** The line item of `resourceId` under `lineitemsUrl`, created (once) when the platform has none. */
  lineItem(
    p: Platform,
    lineitemsUrl: string,
    item: { resourceId: string; label: string; scoreMaximum: number },
  ): Promise<string>;
  /** Posts a Score to a line item. */
  score(p: Platform, lineItemUrl: string, s: ScoreMessage): Promise<void>;
}

export interface NrpsMember {
  user_id: string;
  roles?: string[];
  email?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  status?: string;
}

export interface ScoreMessage {
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  timestamp: string;
  comment?: string;
}

const TIMEOUT_MS = 15_000;

export function createPlatformClient(keys: ToolKeys, fetchFn: typeof fetch = fetch): PlatformClient {
  const tokens = new Map<string, { token: string; until: number }>();

  async function call(url: string, init: RequestInit, what: string): Promise<Response> {
    let r: Response;
    try {
      r = await fetchFn(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (e) {
      throw new PlatformError(`${what}: ${url} did not answer (${(e as Error).message})`, true);
    }
    if (r.ok) return r;
    const body = (await r.text().catch(() => "")).slice(0, 200).replace(/\s+/g, " ");
    const retry = r.status >= 500 || r.status === 408 || r.status === 429;
    throw new PlatformError(`${what}: ${url} answered ${r.status}${body ? ` (${body})` : ""}`, retry, r.status);
  }

  /** An access token for `scopes`, from the cache or the platform's token endpoint. */
  async function accessToken(p: Platform, scopes: string[]): Promise<string> {
    const key = `${p.id} ${scopes.join(" ")}`;
    const cached = tokens.get(key);
    if (cached && cached.until > Date.now()) return cached.token;
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: ALG, kid: keys.jwk.kid, typ: "JWT" })
      .setIssuer(p.clientId)
      .setSubject(p.clientId)
      .setAudience(p.tokenUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .setJti(randomBytes(16).toString("base64url"))
      .sign(keys.privateKey);
    const r = await call(
      p.tokenUrl,
      {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: assertion,
          scope: scopes.join(" "),
        }).toString(),
      },
      "getting an access token",
    );
    const got = (await r.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof got.access_token !== "string")
      throw new PlatformError(`getting an access token: ${p.tokenUrl} sent no access_token`, false);
    const life = typeof got.expires_in === "number" ? got.expires_in : 3600;
    tokens.set(key, { token: got.access_token, until: Date.now() + Math.max(0, life - 60) * 1000 });
    return got.access_token;
  }

  const authed = async (p: Platform, scopes: string[], headers: Record<string, string>) => ({
    ...headers,
    Authorization: `Bearer ${await accessToken(p, scopes)}`,
  });

  return {
    async members(p, membershipsUrl) {
      const out: NrpsMember[] = [];
      let next: string | undefined = membershipsUrl;
      for (let pages = 0; next && pages < 1000; pages++) {
        const r = await call(
          next,
          {
            headers: await authed(p, [SCOPES.members], {
              Accept: "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
            }),
          },
          "reading the course's members",
        );
        const body = (await r.json()) as { members?: NrpsMember[] };
        out.push(...(body.members ?? []).filter((m) => typeof m?.user_id === "string"));
        next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(r.headers.get("link") ?? "")?.[1];
      }
      return out;
    },
    async lineItem(p, lineitemsUrl, item) {
      const scopes = [SCOPES.lineItem];
      const url = new URL(lineitemsUrl);
      url.searchParams.set("resource_id", item.resourceId);
      const found = await call(
        url.toString(),
        { headers: await authed(p, scopes, { Accept: "application/vnd.ims.lis.v2.lineitemcontainer+json" }) },
        "looking up the section's line item",
      );
      const items = (await found.json()) as { id?: string; resourceId?: string }[];
      const mine = Array.isArray(items) ? items.find((i) => i.resourceId === item.resourceId && i.id) : undefined;
      if (mine) return mine.id!;
      const made = await call(
        lineitemsUrl,
        {
          method: "POST",
          headers: await authed(p, scopes, {
            "Content-Type": "application/vnd.ims.lis.v2.lineitem+json",
            Accept: "application/vnd.ims.lis.v2.lineitem+json",
          }),
          body: JSON.stringify({ scoreMaximum: item.scoreMaximum, label: item.label, resourceId: item.resourceId }),
        },
        "creating the section's line item",
      );
      const id = ((await made.json()) as { id?: unknown }).id;
      if (typeof id !== "string")
        throw new PlatformError(`creating the section's line item: ${lineitemsUrl} sent no id`, false);
      return id;
    },
    async score(p, lineItemUrl, s) {
      const u = new URL(lineItemUrl);
      u.pathname = `${u.pathname.replace(/\/$/, "")}/scores`;
      const send = call(
        u.toString(),
        {
          method: "POST",
          headers: await authed(p, [SCOPES.score], { "Content-Type": "application/vnd.ims.lis.v1.score+json" }),
          body: JSON.stringify({
            ...s,
            activityProgress: "Completed",
            gradingProgress: "FullyGraded",
          }),
        },
        "sending a score",
      );
      // NOTE: a platform keeps the score with the latest timestamp (AGS §3.4) and may refuse an older or
      // equal one with 409: it holds this score already (an answer lost on the way) or a newer one.
      await send.catch((e: unknown) => {
        if (!(e instanceof PlatformError && e.status === 409)) throw e;
      });
    },
  };
}
