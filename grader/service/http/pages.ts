// The service's pages, rendered here as HTML (html.ts escapes every value): the learner's page
// (sign in with email and token, upload a notebook, every submission with its table) and the
// instructor's (the gradebook, its CSV, charts of the class, common feedback, the queue, sections).
// One small script (static/course.js) uploads, polls pending submissions and posts the buttons.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import * as fs from "fs";
import * as path from "path";
import type { ServiceContext } from "./context";
import { partSpec, renderSvg, scoreSpec } from "./charts";
import { Refusal } from "./errors";
import { countedGradebook } from "../policy";
import { instructorPage, keyPage, learnerRecordPage } from "./instructor-views";
import { learnerPage, signInPage } from "./page-views";
import { personalRoutes } from "./personal-routes";
import {
  checkLearner,
  instructorSession,
  learnerSession,
  refuseCrossSite,
  requireInstructor,
  openSessionCookie,
  SESSION_COOKIE,
  sessionIdOf,
  whoIs,
  type Who,
} from "./session";
import { keyMatches, type Learner } from "../store";

const LEARNER_ID = { type: "string", pattern: "^l_[A-Za-z0-9_-]{12}$" } as const;

const STATIC: Record<string, string> = {
  "course.js": "text/javascript; charset=utf-8",
  "course.css": "text/css; charset=utf-8",
};
const staticDir = path.join(__dirname, "static");

export async function pageRoutes(app: FastifyInstance, c: ServiceContext): Promise<void> {
  const files = Object.fromEntries(Object.keys(STATIC).map((f) => [f, fs.readFileSync(path.join(staticDir, f))]));
  const who = (req: FastifyRequest): Promise<Who | undefined> => whoIs(req, c.store, c.key).catch(() => undefined);
  const htmlReply = (reply: FastifyReply, body: string, code = 200) =>
    reply.code(code).type("text/html; charset=utf-8").send(body);
  const setSession = (req: FastifyRequest, reply: FastifyReply, opened: { learnerId?: string; tag: string }) =>
    openSessionCookie(c, req, reply, opened);

  app.get<{ Params: { file: string } }>(
    "/static/:file",
    { schema: { params: { type: "object", properties: { file: { type: "string", enum: Object.keys(STATIC) } } } } },
    async (req, reply) =>
      reply.type(STATIC[req.params.file]).header("Cache-Control", "no-cache").send(files[req.params.file]),
  );

  app.get("/favicon.ico", async (_req, reply) => reply.code(204).send());

  // ── learners ──
  app.get("/", async (req, reply) => {
    const w = await who(req);
    if (w?.kind !== "learner") return htmlReply(reply, signInPage());
    return htmlReply(reply, await learnerPage(c, w.learner));
  });
  app.post<{ Body: { email: string; token: string } }>(
    "/signin",
    {
      schema: {
        body: {
          type: "object",
          required: ["email", "token"],
          properties: { email: { type: "string", maxLength: 320 }, token: { type: "string", maxLength: 200 } },
        },
      },
      preHandler: async (req) => refuseCrossSite(req),
    },
    async (req, reply) => {
      let l: Learner;
      try {
        l = await checkLearner(c.store, req.body.email, req.body.token.trim());
      } catch (e) {
        if (e instanceof Refusal) return htmlReply(reply, signInPage(e.message), e.statusCode);
        throw e;
      }
      await setSession(req, reply, learnerSession(l));
      return reply.redirect("/", 303);
    },
  );
  personalRoutes(app, c, who);
  // Signing out ends the session in the store: a copy of the cookie stops working too.
  app.post("/signout", { preHandler: async (req) => refuseCrossSite(req) }, async (req, reply) => {
    const id = sessionIdOf(req);
    if (id) await c.store.endSession(id);
    return reply.clearCookie(SESSION_COOKIE, { path: "/" }).redirect("/", 303);
  });

  instructorPageRoutes(app, c, { who, htmlReply, setSession });
}

/** The instructor's pages: the gradebook page, a learner's record, signing in with the key, the charts. */
function instructorPageRoutes(
  app: FastifyInstance,
  c: ServiceContext,
  {
    who,
    htmlReply,
    setSession,
  }: {
    who: (req: FastifyRequest) => Promise<Who | undefined>;
    htmlReply: (reply: FastifyReply, body: string, code?: number) => FastifyReply;
    setSession: (
      req: FastifyRequest,
      reply: FastifyReply,
      opened: { learnerId?: string; tag: string },
    ) => Promise<void>;
  },
): void {
  app.get("/instructor", async (req, reply) => {
    if ((await who(req))?.kind !== "instructor") return htmlReply(reply, keyPage());
    return htmlReply(reply, await instructorPage(c));
  });
  app.get<{ Params: { id: string } }>(
    "/instructor/learners/:id",
    { schema: { params: { type: "object", properties: { id: LEARNER_ID }, required: ["id"] } } },
    async (req, reply) => {
      if ((await who(req))?.kind !== "instructor") return htmlReply(reply, keyPage());
      const l = await c.store.learnerById(req.params.id);
      if (!l) throw new Refusal(404, `no learner ${req.params.id}`);
      return htmlReply(reply, await learnerRecordPage(c, l));
    },
  );
  app.post<{ Body: { key: string } }>(
    "/instructor/signin",
    {
      schema: {
        body: { type: "object", required: ["key"], properties: { key: { type: "string", maxLength: 500 } } },
      },
      preHandler: async (req) => refuseCrossSite(req),
    },
    async (req, reply) => {
      if (!keyMatches(req.body.key.trim(), c.key))
        return htmlReply(reply, keyPage("that is not the instructor key"), 401);
      await setSession(req, reply, instructorSession(c.key));
      return reply.redirect("/instructor", 303);
    },
  );
  app.get<{ Params: { chart: "scores" | "parts" } }>(
    "/instructor/charts/:chart.svg",
    {
      schema: {
        params: { type: "object", properties: { chart: { type: "string", enum: ["scores", "parts"] } } },
      },
    },
    async (req, reply) => {
      await requireInstructor(req, c.store, c.key); // as every instructor route: the key or its session
      const rows = await countedGradebook(c.store, c.sections);
      const svg = await renderSvg(req.params.chart === "scores" ? scoreSpec(rows) : partSpec(rows));
      return reply.type("image/svg+xml").header("Cache-Control", "no-store").send(svg);
    },
  );
}
