/**
 * The one image catalog. Every container image socle deploys is listed here, pinned by digest
 * where a public source for the digest could be named; otherwise `digest` is absent and
 * `unresolved` says why, so the image-pinning control reports it instead of trusting a guess.
 */
export interface ImageEntry {
  /** Registry and repository, e.g. `docker.io/xwiki`. */
  readonly repository: string;
  readonly tag: string;
  /** `sha256:` digest of the multi-arch index, when a public source confirms it. */
  readonly digest?: string;
  /** Where the tag (and digest) were read. */
  readonly source: string;
  /** Why no digest is recorded yet; the operator resolves it with `crane digest` or `skopeo inspect` before `pulumi up`. */
  readonly unresolved?: string;
}

export const IMAGES = {} satisfies Record<string, ImageEntry>;
