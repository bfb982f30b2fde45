// `course lti add-platform | platforms | sync` (docs/lti.md): the learning platforms this service is
// an LTI 1.3 tool of, registered in the service's store, and the roster brought in from them (NRPS)
// without waiting for an instructor's launch.
import type { Command } from "commander";
import * as path from "path";
import { InputError } from "../../pipeline";
import { listSections } from "../../sections";
import { createLtiTool, toolKeys } from "../lti";
import { withStore } from "./serve";

interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  help: string;
}

interface PlatformOptions {
  data: string;
  database?: string;
  issuer: string;
  clientId: string;
  deploymentId: string[];
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
}

const collect = (v: string, all: string[] = []) => [...all, v];

/** An endpoint the platform's admin gave: an absolute http(s) URL, or a sentence saying which flag is wrong. */
function urlOf(flag: string, v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new InputError(`lti add-platform: ${flag} "${v}" is not a URL: give the platform's full address (https://…)`);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:")
    throw new InputError(`lti add-platform: ${flag} "${v}" must be an http(s) URL`);
  return u.toString();
}

export function addLtiCommands(program: Command, io: Io): void {
  const lti = program
    .command("lti")
    .description("the learning platforms (Canvas, Moodle, Blackboard…) this service is an LTI 1.3 tool of");
  lti
    .command("add-platform")
    .description("register a platform (or add deployments to one registered): what its admin gave you")
    .requiredOption("--data <dir>", "the service's folder (as given to course serve)")
    .option("--database <url>", "the service's PostgreSQL store")
    .requiredOption("--issuer <url>", "the platform's issuer (iss), e.g. https://canvas.instructure.com")
    .requiredOption("--client-id <id>", "the client id the platform gave the tool")
    .requiredOption("--deployment-id <id>", "a deployment id (repeat for several)", collect)
    .requiredOption("--auth-url <url>", "the platform's OIDC authentication request URL")
    .requiredOption("--token-url <url>", "the platform's OAuth 2 token URL (for roster and grades)")
    .requiredOption("--jwks-url <url>", "the platform's public key set (JWKS) URL")
    .addHelpText("after", io.help)
    .action((o: PlatformOptions) =>
      withStore(o, async (store) => {
        if (!o.issuer.trim() || !o.clientId.trim())
          throw new InputError("lti add-platform: --issuer and --client-id must not be empty");
        const p = await store.lti.addPlatform(
          {
            issuer: o.issuer.trim(),
            clientId: o.clientId.trim(),
            deploymentIds: o.deploymentId.map((d) => d.trim()).filter(Boolean),
            authUrl: urlOf("--auth-url", o.authUrl),
            tokenUrl: urlOf("--token-url", o.tokenUrl),
            jwksUrl: urlOf("--jwks-url", o.jwksUrl),
          },
          Date.now(),
        );
        io.out.write(`${p.id}\t${p.issuer}\tclient ${p.clientId}\tdeployments ${p.deploymentIds.join(", ")}\n`);
      }),
    );
  lti
    .command("platforms")
    .description("the platforms registered: issuer, client id, deployments, endpoints")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .action((o: { data: string; database?: string }) =>
      withStore(o, async (store) => {
        for (const p of await store.lti.platforms())
          io.out.write(
            `${p.id}\t${p.issuer}\tclient ${p.clientId}\tdeployments ${p.deploymentIds.join(", ")}\tauth ${p.authUrl}\ttoken ${p.tokenUrl}\tjwks ${p.jwksUrl}\n`,
          );
      }),
    );
  lti
    .command("sync")
    .description("bring the members of every course launched from into the roster (NRPS), keeping tokens")
    .requiredOption("--data <dir>", "the service's folder")
    .option("--database <url>", "the service's PostgreSQL store")
    .option("--lti-key-file <file>", "the tool's private key (default: DATA/lti-tool.pem)")
    .action((o: { data: string; database?: string; ltiKeyFile?: string }) =>
      withStore(o, async (store) => {
        const tool = createLtiTool({
          store,
          keys: await toolKeys(o.ltiKeyFile ?? path.join(o.data, "lti-tool.pem")),
          publicUrl: "http://localhost",
          sections: listSections(),
          passbackEveryMs: 5000,
          log: (line) => io.err.write(`course lti: ${line}\n`),
        });
        const reports = await tool.sync();
        if (!reports.length)
          io.err.write("course lti sync: no course offers its roster yet (launch the tool from one first)\n");
        for (const r of reports) {
          io.out.write(
            `${r.context}\t${r.learnersAdded} learners added, ${r.learnersKept} kept, ${r.instructors} instructors\n`,
          );
          for (const s of r.skipped) io.out.write(`  skipped ${s.userId}: ${s.why}\n`);
        }
      }),
    );
}
