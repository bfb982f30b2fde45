export { InputError } from "../sections";

/** The type-check ran out of time: the notebook is too much for the compiler. */
export class TypeCheckTimeout extends Error {}
