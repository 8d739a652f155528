// The input error lives in the bottom layer (src/model) so that the output writer (src/render/output-dir.ts)
// can extend it without the render and audit folders importing each other.
export { InputError, type InputPosition } from "../model/input-error";
