// A learner's own notebook of a section whose numbers vary, and its public checks: downloads from
// their page (context.ts's PersonalNotebooks builds them), for a signed-in learner only.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ServiceContext } from "./context";
import type { Who } from "./session";

export function personalRoutes(
  app: FastifyInstance,
  c: ServiceContext,
  who: (req: FastifyRequest) => Promise<Who | undefined>,
): void {
  // A learner's own notebook of a section whose numbers vary, and its public checks (downloads).
  const PERSONAL = {
    schema: {
      params: {
        type: "object",
        properties: { section: { type: "string", enum: c.personal?.sections ?? [] } },
        required: ["section"],
      },
    },
  };
  for (const [route, pick] of [
    ["/notebooks/:section.ipynb", "notebook"],
    ["/notebooks/:section/checks.json", "checks"],
  ] as const)
    app.get<{ Params: { section: string } }>(route, PERSONAL, async (req, reply) => {
      const w = await who(req);
      if (w?.kind !== "learner" || !c.personal) return reply.redirect("/", 303);
      const { email } = w.learner,
        { section } = req.params;
      const { name, text } =
        pick === "notebook"
          ? { name: `${section}.ipynb`, text: c.personal.notebook(email, section) }
          : c.personal.checks(email, section);
      return reply
        .type(pick === "notebook" ? "application/x-ipynb+json" : "application/json")
        .header("Content-Disposition", `attachment; filename="${name}"`)
        .header("Cache-Control", "no-store")
        .send(text);
    });
}
