// The launch's id_token, verified completely before the tool acts on it (LTI Core 1.3 §5.1.3, the IMS
// Security Framework §5.1.3): the platform registered for its issuer and audience; the signature
// against that platform's keys (its JWKS, cached, fetched again for an unknown `kid`); `iss`, `aud`
// and `azp`; `exp` and `iat` within a small skew; the nonce the browser's login sent, used once; the
// deployment registered; the message type and the LTI version. Every refusal is one sentence.
import { decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { Platform } from "../store";
import { AGS_CLAIM, LTI, NRPS_CLAIM, roleOf, sectionOfLaunch, type Launch } from "./claims";
import { LtiRefusal } from "./errors";
import { ALG } from "./keys";

/** Clocks of the platform and the tool may differ by this much. */
export const SKEW_S = 60;
/** An id_token issued longer ago than this is refused (platforms issue them for a launch, seconds before). */
export const MAX_AGE_S = 3600;

export interface LaunchChecks {
  /** Platforms registered with this issuer. */
  platformsOf(issuer: string): Promise<Platform[]>;
  /** A platform's keys (jose's remote JWKS: cached, fetched again on an unknown kid). */
  keysOf(p: Platform): JWTVerifyGetKey;
  /** The nonce the login sent (from the browser's state cookie). */
  nonce: string;
  /** Records the nonce as used: false when it was used before. Called last, once everything else passed. */
  useNonce(nonce: string, expiresAt: number): Promise<boolean>;
  now: number;
}

const refuse = (message: string, code = 401) => new LtiRefusal(code, `LTI launch refused: ${message}`);

export async function verifyLaunch(idToken: string, c: LaunchChecks): Promise<Launch> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(idToken);
  } catch {
    throw refuse("the id_token is not a JSON Web Token", 400);
  }
  const platform = await platformFor(unverified, c);
  const claims = await verified(idToken, platform, c);
  if (claims.azp !== undefined && claims.azp !== platform.clientId)
    throw refuse(`the id_token's authorized party (azp ${String(claims.azp)}) is not this tool's client id`);
  if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp === undefined)
    throw refuse("the id_token names several audiences but no authorized party (azp)");
  if (claims.nonce !== c.nonce) throw refuse("its nonce is not the one this browser's login sent: launch again");
  const deploymentId = claims[`${LTI}deployment_id`];
  if (typeof deploymentId !== "string" || !platform.deploymentIds.includes(deploymentId))
    throw refuse(
      `the deployment ${JSON.stringify(deploymentId)} is not registered for this platform (course lti add-platform --deployment-id)`,
      403,
    );
  if (claims[`${LTI}message_type`] !== "LtiResourceLinkRequest")
    throw refuse(`the message type ${JSON.stringify(claims[`${LTI}message_type`])} is not a resource link launch`, 400);
  if (claims[`${LTI}version`] !== "1.3.0")
    throw refuse(`the LTI version ${JSON.stringify(claims[`${LTI}version`])} is not 1.3.0`, 400);
  const launch = launchOf(claims, platform, deploymentId);
  if (!(await c.useNonce(String(claims.nonce), (claims.exp! + SKEW_S) * 1000)))
    throw refuse("this launch was used already (its nonce was seen before): launch again from your course");
  return launch;
}

/** The registered platform the token claims to come from, by its issuer and audience. */
async function platformFor(claims: JWTPayload, c: LaunchChecks): Promise<Platform> {
  if (typeof claims.iss !== "string") throw refuse("the id_token names no issuer (iss)", 400);
  const candidates = await c.platformsOf(claims.iss);
  if (!candidates.length)
    throw refuse(
      `the platform ${claims.iss} is not registered with this tool (the instructor registers it: course lti add-platform)`,
      403,
    );
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const p = candidates.find((x) => aud.includes(x.clientId));
  if (!p)
    throw refuse(
      `the id_token is for ${aud.map(String).join(", ")}, not for this tool's client id on ${claims.iss} (${candidates.map((x) => x.clientId).join(", ")})`,
    );
  return p;
}

async function verified(idToken: string, p: Platform, c: LaunchChecks): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(idToken, c.keysOf(p), {
      issuer: p.issuer,
      audience: p.clientId,
      algorithms: [ALG],
      clockTolerance: SKEW_S,
      maxTokenAge: MAX_AGE_S,
      requiredClaims: ["exp", "iat", "nonce", "sub"],
      currentDate: new Date(c.now),
    });
    if (payload.iat! > c.now / 1000 + SKEW_S) throw refuse("the id_token was issued in the future (iat)");
    return payload;
  } catch (e) {
    throw e instanceof LtiRefusal ? e : refusalOf(e, p);
  }
}

/** jose's verdicts as one sentence each. */
function refusalOf(e: unknown, p: Platform): LtiRefusal {
  if (e instanceof errors.JWTExpired) return refuse("the id_token has expired (exp): launch again from your course");
  if (e instanceof errors.JWTClaimValidationFailed)
    return refuse(`the id_token's ${e.claim} claim does not hold (${e.reason}): ${e.message}`);
  if (e instanceof errors.JWSSignatureVerificationFailed)
    return refuse(`the id_token's signature does not match the keys of ${p.issuer}`);
  if (e instanceof errors.JWKSNoMatchingKey)
    return refuse(`the platform's keys (${p.jwksUrl}) have no key for the id_token's kid`);
  if (e instanceof errors.JOSEAlgNotAllowed) return refuse(`the id_token is not signed with ${ALG}`);
  if (e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid || e instanceof TypeError)
    return refuse(`the platform's keys could not be read from ${p.jwksUrl}: try again in a moment`, 502);
  if (e instanceof errors.JOSEError) return refuse(`the id_token could not be verified (${e.message})`);
  return refuse(`the platform's keys could not be read from ${p.jwksUrl} (${(e as Error).message})`, 502);
}

function launchOf(claims: JWTPayload, platform: Platform, deploymentId: string): Launch {
  const role = roleOf(claims[`${LTI}roles`]);
  if (!role)
    throw refuse(
      "your role in the course is neither learner nor instructor, and the tool has a page only for those",
      403,
    );
  if (role === "learner" && typeof claims.email !== "string")
    throw refuse(
      "the platform did not send your email, which the course knows you by: ask your instructor to let the tool see learners' emails (Canvas: privacy level Public; Moodle: share launcher's email)",
      403,
    );
  const context = claims[`${LTI}context`] as { id?: unknown; title?: unknown; label?: unknown } | undefined;
  if (typeof context?.id !== "string") throw refuse("the launch names no course (context claim)", 400);
  const nrps = claims[NRPS_CLAIM] as { context_memberships_url?: unknown } | undefined;
  const ags = claims[AGS_CLAIM] as { lineitems?: unknown; scope?: unknown } | undefined;
  const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
  const name = str(claims.name) ?? [str(claims.given_name), str(claims.family_name)].filter(Boolean).join(" ") ?? "";
  const section = sectionOfLaunch(claims[`${LTI}custom`], claims[`${LTI}target_link_uri`]);
  const membershipsUrl = str(nrps?.context_memberships_url);
  const lineitemsUrl = str(ags?.lineitems);
  return {
    platformId: platform.id,
    deploymentId,
    userId: String(claims.sub),
    ...(str(claims.email) ? { email: str(claims.email) } : {}),
    name,
    role,
    context: { id: context.id, title: str(context.title) ?? str(context.label) ?? context.id },
    ...(section ? { section } : {}),
    ...(membershipsUrl ? { membershipsUrl } : {}),
    ...(lineitemsUrl ? { lineitemsUrl } : {}),
    agsScopes: Array.isArray(ags?.scope) ? ags!.scope.filter((s): s is string => typeof s === "string") : [],
  };
}
