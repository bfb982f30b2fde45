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
import { instructorPage, keyPage, learnerPage, signInPage } from "./page-views";
import {
  checkLearner,
  instructorSession,
  learnerSession,
  requireInstructor,
  SESSION_COOKIE,
  whoIs,
  type Who,
} from "./session";
import { keyMatches, type Learner } from "../store";

const STATIC: Record<string, string> = {
  "course.js": "text/javascript; charset=utf-8",
  "course.css": "text/css; charset=utf-8",
};
const staticDir = path.join(__dirname, "static");
const WEEK_S = 7 * 24 * 3600;

export async function pageRoutes(app: FastifyInstance, c: ServiceContext): Promise<void> {
  const files = Object.fromEntries(Object.keys(STATIC).map((f) => [f, fs.readFileSync(path.join(staticDir, f))]));
  const who = (req: FastifyRequest): Promise<Who | undefined> => whoIs(req, c.store, c.key).catch(() => undefined);
  const htmlReply = (reply: FastifyReply, body: string, code = 200) =>
    reply.code(code).type("text/html; charset=utf-8").send(body);
  const setSession = (req: FastifyRequest, reply: FastifyReply, value: string) =>
    reply.setCookie(SESSION_COOKIE, value, {
      signed: true,
      httpOnly: true,
      sameSite: "strict",
      secure: req.protocol === "https",
      path: "/",
      maxAge: WEEK_S,
    });

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
    },
    async (req, reply) => {
      let l: Learner;
      try {
        l = await checkLearner(c.store, req.body.email, req.body.token.trim());
      } catch (e) {
        if (e instanceof Refusal) return htmlReply(reply, signInPage(e.message), e.statusCode);
        throw e;
      }
      setSession(req, reply, learnerSession(l));
      return reply.redirect("/", 303);
    },
  );
  app.post("/signout", async (_req, reply) => reply.clearCookie(SESSION_COOKIE, { path: "/" }).redirect("/", 303));

  // ── the instructor ──
  app.get("/instructor", async (req, reply) => {
    if ((await who(req))?.kind !== "instructor") return htmlReply(reply, keyPage());
    return htmlReply(reply, await instructorPage(c));
  });
  app.post<{ Body: { key: string } }>(
    "/instructor/signin",
    {
      schema: {
        body: { type: "object", required: ["key"], properties: { key: { type: "string", maxLength: 500 } } },
      },
    },
    async (req, reply) => {
      if (!keyMatches(req.body.key.trim(), c.key))
        return htmlReply(reply, keyPage("that is not the instructor key"), 401);
      setSession(req, reply, instructorSession(c.key));
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
      const rows = await c.store.gradebook();
      const svg = await renderSvg(req.params.chart === "scores" ? scoreSpec(rows) : partSpec(rows));
      return reply.type("image/svg+xml").header("Cache-Control", "no-store").send(svg);
    },
  );
}
