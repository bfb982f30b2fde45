// The LTI 1.3 message flow (docs/lti.md): the platform's OpenID Connect login initiation at /lti/login
// (the tool answers with an authentication request: a fresh state and nonce, the state's cookie bound to
// this browser), the id_token POSTed to /lti/launch (verified completely: lti/verify.ts; the state must
// match this browser's cookie), then the learner's landing page or the instructor's gradebook, signed in
// with the pages' own server-side session. /lti/jwks and /lti/config are what the platform's admin
// needs; /lti/token gives a launched learner a new token.
import { randomBytes } from "crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServiceContext } from "./context";
import { Refusal } from "./errors";
import { instructorSession, learnerSession, openSessionCookie, refuseCrossSite, sessionIdOf } from "./session";
import { configPage, hopPage, launchPage, type TokenNote } from "./lti-views";
import { learnerFor, verifyLaunch, type Launch, type LtiTool } from "../lti";
import { hashToken, newToken, type Learner } from "../store";

const STATE_COOKIE = "lti_state_";
const STATE = /^[A-Za-z0-9_-]{32}$/;
/** A login's state lives this long: the platform answers within seconds. */
const STATE_S = 600;

interface LoginParams {
  iss?: string;
  login_hint?: string;
  target_link_uri?: string;
  lti_message_hint?: string;
  client_id?: string;
  lti_deployment_id?: string;
}

const text = { type: "string", maxLength: 4000 } as const;
const loginSchema = {
  type: "object",
  properties: {
    iss: text,
    login_hint: text,
    target_link_uri: text,
    lti_message_hint: text,
    client_id: text,
    lti_deployment_id: text,
    lti_storage_target: text,
  },
} as const;

export function ltiRoutes(app: FastifyInstance, c: ServiceContext): void {
  const tool = c.lti;
  if (!tool) return;
  const html = (reply: FastifyReply, body: string, code = 200) =>
    reply.code(code).type("text/html; charset=utf-8").send(body);

  app.get("/lti/jwks", async () => ({ keys: [tool.keys.jwk] }));
  app.get("/lti/config", async (_req, reply) => html(reply, configPage(c)));

  const login = (params: LoginParams, reply: FastifyReply) => startLogin(c, tool, params, reply);
  app.get<{ Querystring: LoginParams }>("/lti/login", { schema: { querystring: loginSchema } }, (req, reply) =>
    login(req.query, reply),
  );
  app.post<{ Body: LoginParams }>("/lti/login", { schema: { body: loginSchema } }, (req, reply) =>
    login(req.body, reply),
  );

  app.post<{ Body: { id_token?: string; state?: string } }>(
    "/lti/launch",
    {
      schema: {
        body: {
          type: "object",
          properties: { id_token: { type: "string", maxLength: 60_000 }, state: text },
        },
      },
    },
    async (req, reply) => {
      const launch = await verifiedLaunch(c, tool, req, reply);
      await c.store.lti.putContext(
        {
          platformId: launch.platformId,
          contextId: launch.context.id,
          deploymentId: launch.deploymentId,
          title: launch.context.title,
          membershipsUrl: launch.membershipsUrl,
          lineitemsUrl: launch.lineitemsUrl,
          agsScopes: launch.agsScopes,
        },
        c.now(),
      );
      if (launch.role === "instructor") return instructorLanding(c, tool, launch, req, reply);
      const l = await learnerFor(c.store, { email: launch.email!, name: launch.name }, c.now());
      const member = { platformId: launch.platformId, contextId: launch.context.id, userId: launch.userId };
      await c.store.lti.putMember(
        { ...member, learnerId: l.id, role: "learner", email: launch.email!, name: launch.name },
        c.now(),
      );
      const { learner, note } = await tokenOnLaunch(c, l.id);
      await openSessionCookie(c, req, reply, learnerSession(learner));
      return html(reply, await launchPage(c, learner, launch.section, note));
    },
  );

  app.post<{ Body: { section?: string } }>(
    "/lti/token",
    {
      schema: { body: { type: "object", properties: { section: { type: "string", maxLength: 100 } } } },
      preHandler: async (req) => refuseCrossSite(req),
    },
    async (req, reply) => {
      // A plain form (the launch page has no script): the session cookie alone, the form's site checked above.
      const sid = sessionIdOf(req);
      const s = sid ? await c.store.session(sid, c.now()) : undefined;
      const was = s?.learnerId !== undefined ? await c.store.learnerById(s.learnerId) : undefined;
      if (!s || !was || learnerSession(was).tag !== s.tag)
        throw new Refusal(401, "sign in first: launch the tool from your course again");
      const { learner, token } = await newTokenFor(c, was);
      await c.store.lti.setTokenShown(learner.id, c.now());
      await openSessionCookie(c, req, reply, learnerSession(learner));
      const note: TokenNote = { token, madeByLti: true };
      return html(reply, await launchPage(c, learner, req.body.section || undefined, note));
    },
  );
}

/** The authentication request (OIDC implicit flow, form_post) for a platform's login initiation. */
async function startLogin(c: ServiceContext, tool: LtiTool, q: LoginParams, reply: FastifyReply) {
  if (!q.iss || !q.login_hint || !q.target_link_uri)
    throw new Refusal(400, "LTI login refused: the platform must send iss, login_hint and target_link_uri");
  const registered = (await c.store.lti.platforms()).filter(
    (p) => p.issuer === q.iss && (!q.client_id || p.clientId === q.client_id),
  );
  if (!registered.length)
    throw new Refusal(
      403,
      `LTI login refused: the platform ${q.iss} is not registered with this tool (course lti add-platform)`,
    );
  if (registered.length > 1)
    throw new Refusal(
      400,
      `LTI login refused: several client ids are registered for ${q.iss}, and the platform sent none`,
    );
  if (new URL(q.target_link_uri, tool.publicUrl).origin !== new URL(tool.publicUrl).origin)
    throw new Refusal(400, `LTI login refused: the target ${q.target_link_uri} is not this tool (${tool.publicUrl})`);
  const p = registered[0];
  const state = randomBytes(24).toString("base64url");
  const nonce = randomBytes(24).toString("base64url");
  const https = tool.publicUrl.startsWith("https:");
  // NOTE: the platform POSTs the id_token from its own site: a SameSite=Lax cookie would not come with
  // it, so over HTTPS the state's cookie is SameSite=None (and Secure). Over plain HTTP (a test on
  // one machine, where the platform is the same site) Lax is what browsers accept.
  reply.setCookie(STATE_COOKIE + state, nonce, {
    signed: true,
    httpOnly: true,
    secure: https,
    sameSite: https ? "none" : "lax",
    path: "/lti/",
    maxAge: STATE_S,
  });
  const auth = new URL(p.authUrl);
  const params: Record<string, string> = {
    scope: "openid",
    response_type: "id_token",
    response_mode: "form_post",
    prompt: "none",
    client_id: p.clientId,
    redirect_uri: `${tool.publicUrl}/lti/launch`,
    login_hint: q.login_hint,
    state,
    nonce,
    ...(q.lti_message_hint ? { lti_message_hint: q.lti_message_hint } : {}),
  };
  for (const [k, v] of Object.entries(params)) auth.searchParams.set(k, v);
  return reply.redirect(auth.toString(), 302);
}

/** The launch's id_token verified against this browser's login (its state cookie), or a refusal. */
async function verifiedLaunch(
  c: ServiceContext,
  tool: LtiTool,
  req: FastifyRequest<{ Body: { id_token?: string; state?: string } }>,
  reply: FastifyReply,
): Promise<Launch> {
  const { id_token: idToken, state } = req.body ?? {};
  if (!idToken || !state) throw new Refusal(400, "LTI launch refused: the platform must POST id_token and state");
  const raw = STATE.test(state) ? req.cookies[STATE_COOKIE + state] : undefined;
  const cookie = raw ? req.unsignCookie(raw) : undefined;
  if (!cookie?.valid || !cookie.value)
    throw new Refusal(
      401,
      "LTI launch refused: this launch did not start in this browser (its state matches no login here) — launch again from your course; if the course shows the tool inside its own page, open it in a new window",
    );
  reply.clearCookie(STATE_COOKIE + state, { path: "/lti/" });
  return verifyLaunch(idToken, {
    platformsOf: async (iss) => (await c.store.lti.platforms()).filter((p) => p.issuer === iss),
    keysOf: (p) => tool.keysOf(p),
    nonce: cookie.value,
    useNonce: (nonce, expiresAt) => c.store.lti.useNonce(nonce, expiresAt, c.now()),
    now: c.now(),
  });
}

/** An instructor's launch: recorded, signed in, the course's roster synced in the background, then the gradebook. */
async function instructorLanding(
  c: ServiceContext,
  tool: LtiTool,
  launch: Launch,
  req: FastifyRequest,
  reply: FastifyReply,
) {
  await c.store.lti.putMember(
    {
      platformId: launch.platformId,
      contextId: launch.context.id,
      userId: launch.userId,
      role: "instructor",
      email: launch.email ?? "",
      name: launch.name,
    },
    c.now(),
  );
  if (launch.membershipsUrl)
    void tool
      .sync({ platformId: launch.platformId, contextId: launch.context.id })
      .catch((e) => req.log.warn(`LTI roster sync after a launch: ${(e as Error).message}`));
  await openSessionCookie(c, req, reply, instructorSession(c.key));
  return reply
    .code(200)
    .type("text/html; charset=utf-8")
    .send(hopPage("Signed in as instructor", "/instructor", "Continue to the gradebook"));
}

/** A learner LTI made and whose token no one has seen gets one now; others keep theirs (a button offers a new one). */
async function tokenOnLaunch(c: ServiceContext, learnerId: string): Promise<{ learner: Learner; note: TokenNote }> {
  const learner = (await c.store.learnerById(learnerId))!;
  const shown = await c.store.lti.tokenShown(learnerId);
  if (shown && shown.at === undefined) {
    const fresh = await newTokenFor(c, learner);
    await c.store.lti.setTokenShown(learnerId, c.now());
    return { learner: fresh.learner, note: { token: fresh.token, madeByLti: true } };
  }
  return {
    learner,
    note: { madeByLti: shown !== undefined, ...(shown?.at !== undefined ? { shownAt: shown.at } : {}) },
  };
}

async function newTokenFor(c: ServiceContext, l: Learner): Promise<{ learner: Learner; token: string }> {
  const token = newToken();
  const learner = await c.store.putLearner({ email: l.email, name: l.name, tokenHash: hashToken(token) }, c.now());
  return { learner, token };
}
