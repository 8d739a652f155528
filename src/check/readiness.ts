/**
 * Whether an image's readiness endpoint waits for a bootstrap step that a Job performs (a cluster layout, an
 * initial admin), keyed by catalog image name. `confirmed` only when the upstream code at the pinned version
 * says so; otherwise `unresolved` with what the stored source shows.
 */
export interface ReadinessFacts {
  /** HTTP path of the readiness endpoint these facts are about. */
  readonly path: string;
  readonly waitsForBootstrap: "confirmed" | "no" | "unresolved";
  /** What the readiness waits for, in words. */
  readonly bootstrap: string;
  readonly source: string;
}

export const IMAGE_READINESS: Readonly<Record<string, ReadinessFacts>> = {
  garage: {
    path: "/health",
    waitsForBootstrap: "unresolved",
    bootstrap: "a cluster layout (node roles and capacity) applied through the admin API",
    source:
      "deuxfleurs-org/garage@v2.0.0 (newest tag in the stored snapshot; the catalog pins v2.4.1): src/api/admin/special.rs answers /health with 503 " +
      "only when System::health() is Unavailable; src/rpc/system.rs health() computes it from the current layout's partitions, and with no layout " +
      "applied every write set is empty, which that code counts as all-ok with zero storage nodes, i.e. Healthy (200). Whether v2.4.1 answers " +
      "503 before the layout (as reported in issue 8) is not confirmed from a stored source.",
  },
};
