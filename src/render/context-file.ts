/** Written by `socle render` beside `manifests/`: what `socle audit` needs to judge the manifests as it judges the state. */
export const CONTEXT_FILE_NAME = "socle-context.json";

/** Version of the context file layout: `{ socleContext, stack: { name, project }, socle }`. */
export const CONTEXT_FILE_VERSION = 1;

/** A Kubernetes object of the manifests as the context file records it: its identity, URN and `protect` option. */
export interface ContextObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly urn: string;
  readonly protect: boolean;
}
