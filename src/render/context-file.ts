/** Written by `socle render` beside `manifests/`: what `socle audit` needs to judge the manifests as it judges the state. */
export const CONTEXT_FILE_NAME = "socle-context.json";

/** Version of the context file layout: `{ socleContext, stack: { name, project }, socle }`. */
export const CONTEXT_FILE_VERSION = 1;
