import { IMAGES, type ImageEntry } from "./catalog";
import { lockedDigest, type ImagesLock } from "./lock";

export type ImageName = keyof typeof IMAGES;

/** Where a repository lives in the mirror: `<mirror>/<original registry>/<path>`. */
export function mirroredRepository(repository: string, mirror?: string): string {
  return mirror ? `${mirror.replace(/\/+$/, "")}/${repository}` : repository;
}

/**
 * The reference a pod uses for a catalog image: `repository:tag@digest`, rewritten to the mirror
 * registry when one is configured (`<mirror>/<original registry>/<path>`, the layout of a pull-through
 * cache with one project per upstream registry). The digest is the lock's (`images.lock.yaml`, what the
 * organisation's registry served for this tag) when it has one, else the catalog's; with neither the
 * image is referenced by tag and the digest control says to run `socle images lock`.
 */
export function imageRef(entry: ImageEntry, mirror?: string, lock?: ImagesLock): string {
  const repo = mirroredRepository(entry.repository, mirror);
  const digest = lockedDigest(lock, entry.repository, entry.tag) ?? entry.digest;
  return digest ? `${repo}:${entry.tag}@${digest}` : `${repo}:${entry.tag}`;
}

export function catalogImage(name: string, mirror?: string, lock?: ImagesLock): string {
  const entry = (IMAGES as Record<string, ImageEntry>)[name];
  if (!entry) throw new Error(`image ${name} is not in the image catalog (src/images/catalog.ts)`);
  return imageRef(entry, mirror, lock);
}

/** Registries the catalog pulls from, when no mirror is set. */
export function catalogRegistries(): string[] {
  // Upstream registries only: `socle.invalid` names images the organisation builds and pushes to its own registry.
  return [...new Set(Object.values(IMAGES as Record<string, ImageEntry>).map((e) => e.repository.split("/")[0]!))].filter((r) => r !== "socle.invalid").sort();
}
