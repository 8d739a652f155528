import { IMAGES, type ImageEntry } from "./catalog";

export type ImageName = keyof typeof IMAGES;

/**
 * The reference a pod uses for a catalog image: `repository:tag@digest`, rewritten to the mirror
 * registry when one is configured (`<mirror>/<original registry>/<path>`, the layout of a pull-through
 * cache with one project per upstream registry).
 */
export function imageRef(entry: ImageEntry, mirror?: string): string {
  const repo = mirror ? `${mirror.replace(/\/+$/, "")}/${entry.repository}` : entry.repository;
  return entry.digest ? `${repo}:${entry.tag}@${entry.digest}` : `${repo}:${entry.tag}`;
}

export function catalogImage(name: string, mirror?: string): string {
  const entry = (IMAGES as Record<string, ImageEntry>)[name];
  if (!entry) throw new Error(`image ${name} is not in the image catalog (src/images/catalog.ts)`);
  return imageRef(entry, mirror);
}

/** Registries the catalog pulls from, when no mirror is set. */
export function catalogRegistries(): string[] {
  return [...new Set(Object.values(IMAGES as Record<string, ImageEntry>).map((e) => e.repository.split("/")[0]))].sort();
}
