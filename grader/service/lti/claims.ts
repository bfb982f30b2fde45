// The claims of an LTI 1.3 launch (IMS LTI Core 1.3, NRPS 2.0, AGS 2.0) as the tool reads them: the
// claim names, the roles the tool distinguishes, and the launch it acts on once the id_token is verified.
export const LTI = "https://purl.imsglobal.org/spec/lti/claim/";
export const NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
export const AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";

export const SCOPES = {
  members: "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
  lineItem: "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
  lineItemRead: "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
  score: "https://purl.imsglobal.org/spec/lti-ags/scope/score",
} as const;

/** A verified launch: who, from which course and platform, to which section, and the services it offers. */
export interface Launch {
  platformId: string;
  deploymentId: string;
  /** The platform's user id (`sub`). */
  userId: string;
  email?: string;
  name: string;
  role: "learner" | "instructor";
  context: { id: string; title: string };
  /** The section launched (a custom parameter `section`, or target_link_uri's ?section= or /sections/ID). */
  section?: string;
  membershipsUrl?: string;
  lineitemsUrl?: string;
  agsScopes: string[];
}

const INSTRUCTOR_ROLES = [
  "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
  "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
  "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
  "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
  "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
];
const LEARNER_ROLES = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"];
/** NRPS lists roles in the same vocabulary, sometimes in their short form ("Instructor"). */
const short = (r: string) => r.replace(/^.*[#/]/, "");

/** The tool's role for a list of LIS roles: instructors (and TAs, administrators) before learners; undefined for neither. */
export function roleOf(roles: unknown): Launch["role"] | undefined {
  const list = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [];
  const has = (known: string[]) => list.some((r) => known.includes(r) || known.some((k) => short(k) === r));
  if (has(INSTRUCTOR_ROLES)) return "instructor";
  if (has(LEARNER_ROLES)) return "learner";
  return undefined;
}

/** The section a launch names: its custom parameter `section`, else target_link_uri's ?section= or /sections/ID. */
export function sectionOfLaunch(custom: unknown, targetLinkUri: unknown): string | undefined {
  const fromCustom = (custom as { section?: unknown } | undefined)?.section;
  if (typeof fromCustom === "string" && fromCustom) return fromCustom;
  if (typeof targetLinkUri !== "string") return undefined;
  try {
    const u = new URL(targetLinkUri);
    return u.searchParams.get("section") ?? /\/sections\/([^/?#]+)/.exec(u.pathname)?.[1];
  } catch {
    return undefined;
  }
}
