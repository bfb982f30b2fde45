// The grading service's HTTP app (Fastify): the JSON API and the pages over one store and one
// grading queue. Every answer carries security headers (a strict Content-Security-Policy on pages);
// every error is one sentence: JSON under /api, a small page elsewhere.
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import { createHash } from "crypto";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { apiRoutes } from "./api";
import { calendarRoutes } from "./api-calendar";
import { CSP, html, page } from "./html";
import { pageRoutes } from "./pages";
import { similarityRoutes } from "./similarity-page";
import { ltiRoutes } from "./lti-routes";
import { Refusal } from "./errors";
import { isUnavailable } from "../store";

import type { ServiceContext } from "./context";

export async function createServiceApp(c: ServiceContext, o: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: o.logger ?? false,
    // The notebook route has its own, larger, limit; every other body is a small form.
    bodyLimit: 64 * 1024,
    trustProxy: true,
    // An unknown parameter is an error, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  // Signed cookies: the secret comes from the instructor key, so every server of a course (behind a
  // load balancer) accepts the others' sessions, and a new key signs every session out.
  await app.register(cookie, { secret: createHash("sha256").update(`course-cookie:${c.key}`).digest("hex") });
  await app.register(formbody);
  app.addHook("onSend", async (req, reply) => {
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Referrer-Policy", "no-referrer");
    // A route may set a policy of its own (the similarity report: inline styles, and no script at all).
    if (!reply.getHeader("Content-Security-Policy")) reply.header("Content-Security-Policy", CSP);
    if (!req.url.startsWith("/static/")) reply.header("Cache-Control", "no-store");
  });
  app.setErrorHandler((e: FastifyError | Refusal, req, reply) => {
    let code: number, message: string;
    const headers: Record<string, string> = e instanceof Refusal ? { ...e.headers } : {};
    if (e instanceof Refusal) [code, message] = [e.statusCode, e.message];
    else if (e.code === "FST_ERR_CTP_BODY_TOO_LARGE")
      [code, message] = [
        413,
        `the notebook is larger than ${Math.round(c.limits.maxNotebookBytes / 1048576)} MB: clear its outputs (Edit → Clear Outputs of All Cells), save, and submit again`,
      ];
    else if (e.validation) [code, message] = [400, `bad request: ${e.message}`];
    else if (isUnavailable(e)) {
      [code, message] = [503, "the service's database is unavailable for a moment: try again in a few seconds"];
      headers["Retry-After"] = "5";
    } else if (e.statusCode && e.statusCode < 500) [code, message] = [e.statusCode, e.message];
    else {
      req.log.error(e);
      process.stderr.write(`course serve: ${req.method} ${req.url}: ${e.stack ?? e.message}\n`);
      [code, message] = [500, "the service failed on this request (not your doing): try again in a moment"];
    }
    // Refused before its body was read (from its headers, or too large): the connection is closed
    // after the answer instead of kept for a body nobody will read.
    if (!req.raw.complete) headers.Connection = "close";
    reply.code(code).headers(headers);
    if (req.url.startsWith("/api/")) return reply.send({ error: message });
    return reply.type("text/html; charset=utf-8").send(
      page(
        "Problem",
        html`<main class="narrow">
          <h1>${code}</h1>
          <p class="problem">${message}</p>
          <p><a href="/">Back</a></p>
        </main>`,
      ),
    );
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith("/api/"))
      return reply.code(404).send({ error: `no such route: ${req.method} ${req.url.split("?")[0]}` });
    return reply
      .code(404)
      .type("text/html; charset=utf-8")
      .send(
        page(
          "Not found",
          html`<main class="narrow">
            <h1>Not found</h1>
            <p><a href="/">Your submissions</a> · <a href="/instructor">Instructor</a></p>
          </main>`,
        ),
      );
  });
  await app.register(async (scope) => apiRoutes(scope, c));
  await app.register(async (scope) => calendarRoutes(scope, c));
  await app.register(async (scope) => pageRoutes(scope, c));
  await app.register(async (scope) => similarityRoutes(scope, c));
  await app.register(async (scope) => ltiRoutes(scope, c));
  return app;
}
