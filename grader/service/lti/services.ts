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
  return new Client(keys, fetchFn);
}

/** The next page of a paged NRPS or AGS answer (RFC 8288 `Link: <…>; rel="next"`). */
const nextPage = (r: Response) => /<([^>]+)>\s*;\s*rel="?next"?/.exec(r.headers.get("link") ?? "")?.[1];
const MAX_PAGES = 1000;

class Client implements PlatformClient {
  /** Access tokens by platform and scopes, until they expire. */
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(
    private readonly keys: ToolKeys,
    private readonly fetchFn: typeof fetch,
  ) {}

  async members(p: Platform, membershipsUrl: string): Promise<NrpsMember[]> {
    const out: NrpsMember[] = [];
    const accept = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
    for await (const body of this.pages(p, [SCOPES.members], membershipsUrl, accept, "reading the course's members")) {
      const members = (body as { members?: NrpsMember[] }).members ?? [];
      out.push(...members.filter((m) => typeof m?.user_id === "string"));
    }
    return out;
  }

  async lineItem(p: Platform, lineitemsUrl: string, item: { resourceId: string; label: string; scoreMaximum: number }) {
    const scopes = [SCOPES.lineItem];
    const url = new URL(lineitemsUrl);
    url.searchParams.set("resource_id", item.resourceId);
    const accept = "application/vnd.ims.lis.v2.lineitemcontainer+json";
    for await (const items of this.pages(p, scopes, url.toString(), accept, "looking up the section's line item")) {
      const list = Array.isArray(items) ? (items as { id?: string; resourceId?: string }[]) : [];
      const mine = list.find((i) => i.resourceId === item.resourceId && typeof i.id === "string");
      if (mine) return mine.id!;
    }
    const made = await this.call(
      lineitemsUrl,
      {
        method: "POST",
        headers: await this.authed(p, scopes, {
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
  }

  async score(p: Platform, lineItemUrl: string, s: ScoreMessage): Promise<void> {
    const u = new URL(lineItemUrl);
    u.pathname = `${u.pathname.replace(/\/$/, "")}/scores`;
    const send = this.call(
      u.toString(),
      {
        method: "POST",
        headers: await this.authed(p, [SCOPES.score], { "Content-Type": "application/vnd.ims.lis.v1.score+json" }),
        body: JSON.stringify({ ...s, activityProgress: "Completed", gradingProgress: "FullyGraded" }),
      },
      "sending a score",
    );
    // NOTE: a platform keeps the score with the latest timestamp (AGS §3.4) and may refuse an older or
    // equal one with 409: it holds this score already (an answer lost on the way) or a newer one.
    await send.catch((e: unknown) => {
      if (!(e instanceof PlatformError && e.status === 409)) throw e;
    });
  }

  /** Every page's JSON body, from `url` on. */
  private async *pages(p: Platform, scopes: string[], url: string, accept: string, what: string) {
    let next: string | undefined = url;
    for (let n = 0; next && n < MAX_PAGES; n++) {
      const r = await this.call(next, { headers: await this.authed(p, scopes, { Accept: accept }) }, what);
      yield (await r.json()) as unknown;
      next = nextPage(r);
    }
  }

  private async call(url: string, init: RequestInit, what: string): Promise<Response> {
    let r: Response;
    try {
      r = await this.fetchFn(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (e) {
      throw new PlatformError(`${what}: ${url} did not answer (${(e as Error).message})`, true);
    }
    if (r.ok) return r;
    const body = (await r.text().catch(() => "")).slice(0, 200).replace(/\s+/g, " ");
    const retry = r.status >= 500 || r.status === 408 || r.status === 429;
    throw new PlatformError(`${what}: ${url} answered ${r.status}${body ? ` (${body})` : ""}`, retry, r.status);
  }

  private async authed(p: Platform, scopes: string[], headers: Record<string, string>) {
    return { ...headers, Authorization: `Bearer ${await this.accessToken(p, scopes)}` };
  }

  /** An access token for `scopes`, from the cache or the platform's token endpoint (client credentials, a signed assertion). */
  private async accessToken(p: Platform, scopes: string[]): Promise<string> {
    const key = `${p.id} ${scopes.join(" ")}`;
    const cached = this.tokens.get(key);
    if (cached && cached.until > Date.now()) return cached.token;
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: ALG, kid: this.keys.jwk.kid, typ: "JWT" })
      .setIssuer(p.clientId)
      .setSubject(p.clientId)
      .setAudience(p.tokenUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .setJti(randomBytes(16).toString("base64url"))
      .sign(this.keys.privateKey);
    const r = await this.call(
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
    this.tokens.set(key, { token: got.access_token, until: Date.now() + Math.max(0, life - 60) * 1000 });
    return got.access_token;
  }
}
