// A small LTI 1.3 platform of the tests' own, on 127.0.0.1, built from the IMS specifications (LTI Core
// 1.3, the Security Framework, NRPS 2.0, AGS 2.0) and strict where they are: its own RSA keys and JWKS,
// a course page that starts the OIDC login at the tool, the authentication endpoint that checks the
// tool's request and POSTs a signed id_token back, a token endpoint that verifies the tool's client
// assertion against the tool's JWKS, the course's members (two per page, with Link: rel="next"), line
// items and scores. A switch takes its services down (503) as an LMS under maintenance would be.
import { randomBytes } from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";
import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type KeyLike,
} from "jose";

const LTI = "https://purl.imsglobal.org/spec/lti/claim/";
export const ROLE = {
  learner: "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
  instructor: "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
};
const SCOPE = {
  members: "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
  lineItem: "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
  score: "https://purl.imsglobal.org/spec/lti-ags/scope/score",
};

export interface User {
  id: string;
  email?: string;
  name: string;
  role: keyof typeof ROLE;
  status?: "Active" | "Inactive";
}
export interface LineItem {
  id: string;
  resourceId?: string;
  label: string;
  scoreMaximum: number;
}
export interface ScorePost {
  lineItem: string;
  body: Record<string, unknown>;
}
/** What a test may change in the next id_token: its claims, or the key it is signed with. */
export interface Tamper {
  claims?: (c: JWTPayload) => void;
  signWith?: KeyLike;
}

export interface TestPlatform {
  url: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  context: { id: string; title: string };
  users: User[];
  lineItems: LineItem[];
  scores: ScorePost[];
  /** Access tokens issued (the tool should reuse one until it expires). */
  tokensIssued: number;
  /** Every refusal the platform made, as a sentence (the tool should cause none). */
  refusals: string[];
  down: boolean;
  /** The next N scores are kept but answered 502, as when an answer is lost on the way back. */
  loseScoreAnswers: number;
  /** The tool's URL: where logins start and id_tokens are POSTed, and where its JWKS is. */
  setTool(url: string): void;
  /** The course page a user clicks to open the tool on `section` (auto-submits the login initiation). */
  launchUrl(userId: string, section: string): string;
  /** A signed id_token as /auth would send it (for scripted launches), with any tampering. */
  idToken(userId: string, nonce: string, section: string, tamper?: Tamper): Promise<string>;
  /** Another key pair with the platform's kid: a forger's. */
  forgedKey(): Promise<KeyLike>;
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const autoPost = (action: string, fields: Record<string, string>) =>
  `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${esc(action)}">${Object.entries(
    fields,
  )
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join("")}<noscript><button>Continue</button></noscript></form></body></html>`;

export async function startPlatform(): Promise<TestPlatform> {
  const KID = "platform-key-1";
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, alg: "RS256", use: "sig" };
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let tool = "";
  let toolKeys: ReturnType<typeof createRemoteJWKSet> | undefined;
  const tokens = new Map<string, string[]>();
  const assertionsSeen = new Set<string>();
  let nextItem = 1;

  const p: TestPlatform = {
    url,
    issuer: url,
    clientId: "course-kit-tool",
    deploymentId: "deployment-1",
    authUrl: `${url}/auth`,
    tokenUrl: `${url}/token`,
    jwksUrl: `${url}/jwks`,
    context: { id: "course-nn-101", title: "Neural networks 101" },
    users: [],
    lineItems: [],
    scores: [],
    tokensIssued: 0,
    refusals: [],
    down: false,
    loseScoreAnswers: 0,
    setTool(u) {
      tool = u;
      toolKeys = createRemoteJWKSet(new URL(`${u}/lti/jwks`));
    },
    launchUrl: (userId, section) => `${url}/course?user=${encodeURIComponent(userId)}&section=${section}`,
    async idToken(userId, nonce, section, tamper = {}) {
      const u = p.users.find((x) => x.id === userId);
      if (!u) throw new Error(`no user ${userId}`);
      const now = Math.floor(Date.now() / 1000);
      const claims: JWTPayload = {
        iss: p.issuer,
        aud: p.clientId,
        azp: p.clientId,
        sub: u.id,
        iat: now,
        exp: now + 300,
        nonce,
        ...(u.email ? { email: u.email } : {}),
        name: u.name,
        [`${LTI}message_type`]: "LtiResourceLinkRequest",
        [`${LTI}version`]: "1.3.0",
        [`${LTI}deployment_id`]: p.deploymentId,
        [`${LTI}target_link_uri`]: `${tool}/lti/launch?section=${section}`,
        [`${LTI}resource_link`]: { id: `link-${section}`, title: section },
        [`${LTI}roles`]: [ROLE[u.role]],
        [`${LTI}context`]: { id: p.context.id, label: "NN101", title: p.context.title },
        "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
          context_memberships_url: `${url}/nrps/${p.context.id}`,
          service_versions: ["2.0"],
        },
        "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
          scope: [SCOPE.lineItem, SCOPE.score],
          lineitems: `${url}/ags/${p.context.id}/lineitems`,
        },
      };
      tamper.claims?.(claims);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: KID, typ: "JWT" })
        .sign(tamper.signWith ?? privateKey);
    },
    forgedKey: async () => (await generateKeyPair("RS256")).privateKey,
    close: () => new Promise((r) => server.close(() => r())),
  };

  const refuse = (res: http.ServerResponse, code: number, why: string) => {
    p.refusals.push(why);
    res.writeHead(code, { "Content-Type": "application/json" }).end(JSON.stringify({ error: why }));
  };
  const json = (res: http.ServerResponse, type: string, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(200, { "Content-Type": type, ...headers }).end(JSON.stringify(body));
  /** The bearer token's scopes, or undefined (refused) when it has none of `scope`. */
  const allowed = (req: http.IncomingMessage, res: http.ServerResponse, scope: string) => {
    const granted = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
    if (!granted?.includes(scope)) {
      refuse(res, 401, `no access token with ${scope}`);
      return false;
    }
    return true;
  };

  async function authenticate(q: URLSearchParams, res: http.ServerResponse) {
    const want = { scope: "openid", response_type: "id_token", response_mode: "form_post", prompt: "none" };
    for (const [k, v] of Object.entries(want)) if (q.get(k) !== v) return refuse(res, 400, `${k} must be ${v}`);
    if (q.get("client_id") !== p.clientId) return refuse(res, 400, "unknown client_id");
    if (q.get("redirect_uri") !== `${tool}/lti/launch`) return refuse(res, 400, "redirect_uri is not the tool's");
    const user = q.get("login_hint") ?? "";
    if (!q.get("state") || !q.get("nonce")) return refuse(res, 400, "state and nonce are required");
    const section = q.get("lti_message_hint") ?? "";
    const idToken = await p.idToken(user, q.get("nonce")!, section);
    res
      .writeHead(200, { "Content-Type": "text/html" })
      .end(autoPost(q.get("redirect_uri")!, { id_token: idToken, state: q.get("state")! }));
  }

  async function token(body: URLSearchParams, res: http.ServerResponse) {
    if (body.get("grant_type") !== "client_credentials") return refuse(res, 400, "grant_type");
    if (body.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
      return refuse(res, 400, "client_assertion_type");
    try {
      const { payload } = await jwtVerify(body.get("client_assertion") ?? "", toolKeys!, {
        issuer: p.clientId,
        subject: p.clientId,
        audience: p.tokenUrl,
        algorithms: ["RS256"],
        requiredClaims: ["exp", "iat", "jti"],
      });
      if (assertionsSeen.has(payload.jti!)) return refuse(res, 400, "client assertion replayed");
      assertionsSeen.add(payload.jti!);
    } catch (e) {
      return refuse(res, 401, `client assertion: ${(e as Error).message}`);
    }
    const scopes = (body.get("scope") ?? "").split(" ").filter(Boolean);
    const t = randomBytes(16).toString("hex");
    tokens.set(t, scopes);
    p.tokensIssued++;
    json(res, "application/json", { access_token: t, token_type: "Bearer", expires_in: 3600, scope: scopes.join(" ") });
  }

  function members(u: URL, res: http.ServerResponse) {
    const page = Number(u.searchParams.get("page") ?? 1);
    const all = p.users.map((x) => ({
      user_id: x.id,
      roles: [ROLE[x.role]],
      status: x.status ?? "Active",
      name: x.name,
      ...(x.email ? { email: x.email } : {}),
    }));
    const slice = all.slice((page - 1) * 2, page * 2);
    const more = page * 2 < all.length ? { Link: `<${url}${u.pathname}?page=${page + 1}>; rel="next"` } : undefined;
    json(
      res,
      "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
      { id: `${url}${u.pathname}`, context: p.context, members: slice },
      more,
    );
  }

  function lineItems(req: http.IncomingMessage, u: URL, body: string, res: http.ServerResponse) {
    const base = `${url}/ags/${p.context.id}/lineitems`;
    if (req.method === "GET") {
      const rid = u.searchParams.get("resource_id");
      return json(
        res,
        "application/vnd.ims.lis.v2.lineitemcontainer+json",
        p.lineItems.filter((i) => rid === null || i.resourceId === rid),
      );
    }
    if (req.headers["content-type"] !== "application/vnd.ims.lis.v2.lineitem+json")
      return refuse(res, 415, "a line item is application/vnd.ims.lis.v2.lineitem+json");
    const item = JSON.parse(body) as Omit<LineItem, "id">;
    if (typeof item.label !== "string" || !(item.scoreMaximum > 0))
      return refuse(res, 400, "label and scoreMaximum > 0");
    const made = { ...item, id: `${base}/${nextItem++}` };
    p.lineItems.push(made);
    json(res, "application/vnd.ims.lis.v2.lineitem+json", made);
  }

  function score(req: http.IncomingMessage, u: URL, body: string, res: http.ServerResponse) {
    const lineItem = `${url}${u.pathname.replace(/\/scores$/, "")}`;
    if (!p.lineItems.some((i) => i.id === lineItem)) return refuse(res, 404, "no such line item");
    if (req.headers["content-type"] !== "application/vnd.ims.lis.v1.score+json")
      return refuse(res, 415, "a score is application/vnd.ims.lis.v1.score+json");
    const s = JSON.parse(body) as Record<string, unknown>;
    for (const k of ["userId", "timestamp", "activityProgress", "gradingProgress"])
      if (typeof s[k] !== "string") return refuse(res, 400, `score: ${k} is required`);
    if (!p.users.some((x) => x.id === s.userId)) return refuse(res, 400, "score: unknown userId");
    const last = p.scores.filter((x) => x.lineItem === lineItem && x.body.userId === s.userId).pop();
    // AGS: a score older than the one the platform holds is refused (409), never applied.
    if (last && Date.parse(String(s.timestamp)) <= Date.parse(String(last.body.timestamp)))
      return refuse(res, 409, "score: not newer than the one held");
    p.scores.push({ lineItem, body: s });
    if (p.loseScoreAnswers > 0 && p.loseScoreAnswers--) return refuse(res, 502, "the score's answer was lost");
    res.writeHead(204).end();
  }

  server.on("request", (req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const u = new URL(req.url ?? "/", url);
      const route = async () => {
        // A browser asks for the icon of any page it shows: not part of LTI, never a refusal.
        if (u.pathname === "/favicon.ico") return res.writeHead(204).end();
        if (u.pathname === "/jwks") return json(res, "application/json", { keys: [jwk] });
        if (u.pathname === "/course") {
          const user = u.searchParams.get("user") ?? "";
          const section = u.searchParams.get("section") ?? "";
          return res.writeHead(200, { "Content-Type": "text/html" }).end(
            autoPost(`${tool}/lti/login`, {
              iss: p.issuer,
              login_hint: user,
              target_link_uri: `${tool}/lti/launch?section=${section}`,
              lti_message_hint: section,
              client_id: p.clientId,
              lti_deployment_id: p.deploymentId,
            }),
          );
        }
        if (u.pathname === "/auth") return authenticate(u.searchParams, res);
        if (p.down) return refuse(res, 503, "down for maintenance");
        if (u.pathname === "/token" && req.method === "POST") return token(new URLSearchParams(body), res);
        if (u.pathname === `/nrps/${p.context.id}`) return allowed(req, res, SCOPE.members) && members(u, res);
        if (u.pathname === `/ags/${p.context.id}/lineitems`)
          return allowed(req, res, SCOPE.lineItem) && lineItems(req, u, body, res);
        if (/^\/ags\/[^/]+\/lineitems\/\d+\/scores$/.test(u.pathname) && req.method === "POST")
          return allowed(req, res, SCOPE.score) && score(req, u, body, res);
        refuse(res, 404, `no route ${req.method} ${u.pathname}`);
      };
      route().catch((e) => refuse(res, 500, (e as Error).message));
    });
  });
  return p;
}
