import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { IMAGES } from "../../src/images/catalog";
import { IMAGES_DOC_PATH, renderImagesDoc, REPO_LOCK_PATH } from "../../src/images/gen-docs";
import { readLock, type ImagesLock } from "../../src/images/lock";

describe("docs/images.md", () => {
  it("agrees with the catalog, the pinned charts and the lock (regenerate with `npx tsx src/images/gen-docs.ts`)", () => {
    expect(readFileSync(IMAGES_DOC_PATH, "utf8")).toBe(renderImagesDoc(readLock(REPO_LOCK_PATH)));
  });

  it("lists every catalog image, and shows a locked digest in place of 'run socle images lock'", () => {
    const doc = renderImagesDoc(undefined);
    for (const [key, e] of Object.entries(IMAGES)) expect(doc).toContain(`| \`${key}\` | \`${e.repository}:${e.tag}\``);
    const digest = `sha256:${"ab".repeat(32)}`;
    const lock: ImagesLock = {
      apiVersion: "socle.io/v1",
      kind: "ImagesLock",
      registry: "registry.example.fr/mirror",
      images: [{ name: "velero", sourceRegistry: "docker.io", repository: IMAGES.velero.repository, tag: IMAGES.velero.tag, digest, mediaType: "application/vnd.oci.image.index.v1+json", resolvedAt: "2026-11-30T12:00:00Z" }],
      charts: [],
    };
    const locked = renderImagesDoc(lock);
    expect(locked).toMatch(new RegExp(`\\| \`velero\` \\| [^\\n]*\`${digest}\` \\(lock\\)`));
    expect(doc).toMatch(/\| `velero` \| [^\n]*by tag: run `socle images lock`/);
    expect(locked).toContain("resolved 2026-11-30");
  });
});
