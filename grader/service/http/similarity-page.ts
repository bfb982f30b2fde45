// The similarity report of one section over the service's stored notebooks (grader/integrity): for
// each learner, the submission that counts (best or last, after the late policy) or their last one,
// as an HTML page for the instructor, linked from the sections on the instructor's page.
import type { FastifyInstance } from "fastify";
import { compareStoredNotebooks, similarityHtml } from "../../integrity";
import { countedGradebook } from "../policy";
import type { ServiceContext } from "./context";
import { Refusal } from "./errors";
import { keyPage } from "./instructor-views";
import { whoIs } from "./session";

/** The report is one self-contained page: its own inline styles, no script, nothing loaded. */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

export async function similarityRoutes(app: FastifyInstance, c: ServiceContext): Promise<void> {
  app.get<{ Params: { section: string }; Querystring: { which: "counted" | "last"; threshold: number } }>(
    "/instructor/sections/:section/similarity",
    {
      schema: {
        params: {
          type: "object",
          properties: { section: { type: "string", enum: c.sections } },
          required: ["section"],
        },
        querystring: {
          type: "object",
          properties: {
            which: { type: "string", enum: ["counted", "last"], default: "counted" },
            threshold: { type: "number", minimum: 0, maximum: 100, default: 60 },
          },
        },
      },
    },
    async (req, reply) => {
      const html = (body: string) =>
        reply.type("text/html; charset=utf-8").header("Content-Security-Policy", REPORT_CSP).send(body);
      if ((await whoIs(req, c.store, c.key).catch(() => undefined))?.kind !== "instructor") return html(keyPage());
      const { section } = req.params,
        { which, threshold } = req.query;
      const rows = (await countedGradebook(c.store, [section])).filter((r) => r.section === section);
      const chosen = await Promise.all(
        rows.map(async (r) => {
          if (which === "counted") return r.best && { row: r, id: r.best.id };
          // Newest first.
          const last = (await c.store.submissionsOf(r.learnerId)).find((s) => s.section === section);
          return last && { row: r, id: last.id };
        }),
      );
      const items: { name: string; text: string }[] = [];
      for (const x of chosen) {
        const bytes = x && (await c.store.notebook(x.id));
        if (x && bytes) items.push({ name: x.row.email, text: bytes.toString("utf8") });
      }
      if (items.length < 2)
        throw new Refusal(
          409,
          `${section}: ${items.length} stored notebook${items.length === 1 ? "" : "s"} to compare; the report needs two or more`,
        );
      const s = compareStoredNotebooks(section, items);
      const scope = `Each learner's ${which === "counted" ? "submission that counts (best or last, after the late policy)" : "last submission"}; ${rows.length - items.length} of ${rows.length} learners have no stored notebook to compare.`;
      const notes = s.unreadable.map((u) => `${u.name}: not read (${u.why})`);
      return html(similarityHtml(section, s, threshold / 100, { scope, notes }));
    },
  );
}
