/** A configuration problem, as the user must read it: where, what, what is allowed, how to fix it. */
export interface ConfigIssue {
  /** Key path, e.g. `socle:openstack.workerPools[0].flavor`. */
  readonly path: string;
  /** The offending value, or undefined when the key is missing. */
  readonly value: unknown;
  /** What is wrong, e.g. `is not an Outscale VM type such as tinav6.c4r8p1`. */
  readonly problem: string;
  /** What is allowed, when it can be listed. */
  readonly allowed?: string;
  /** How to fix it. */
  readonly fix: string;
}
