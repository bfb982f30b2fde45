// The API's shared schema pieces: a submission id, a section name, no query parameters.
export const ID = { type: "string", pattern: "^s_[A-Za-z0-9_-]{16}$" } as const;
export const SECTION = { type: "string", minLength: 1, maxLength: 100 } as const;
export const noQuery = { type: "object", additionalProperties: false, properties: {} } as const;
