import type { Control, Violation } from "../../types";
import { describe } from "../lib/k8s";
import { containersOf, workloadsOf } from "../lib/pod";
import { verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { nonEmptyString } from "../lib/values";

const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** `registry/repository` of an image reference, Docker Hub's implicit names made explicit. */
export function repositoryOf(image: string): string {
  const withoutDigest = image.replace(/@.*$/, "");
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  const name = colon < 0 ? withoutDigest : withoutDigest.slice(0, colon);
  const first = name.split("/")[0]!;
  const hasRegistry = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (hasRegistry) return name;
  return name.includes("/") ? `docker.io/${name}` : `docker.io/library/${name}`;
}

export const control: Control = {
  id: "snc-workload-image-digest",
  title: {
    fr: "Images épinglées par empreinte et issues d'un registre autorisé",
    en: "Images pinned by digest from an allowed registry",
  },
  snc: verifiedSection("12", "12.10", "Installation de logiciels sur des systèmes en exploitation"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "Software installed on production systems must be controlled (12.10.a) and its authenticity checked (12.10.c). A tag can be moved to other content at any time; a sha256 digest names exactly the image that was reviewed. Pulling only from the allowed registries (the sovereign mirror) keeps production independent of registries outside the qualified perimeter.",
  remediation:
    "Reference every image as `<allowed registry>/<repository>@sha256:<digest>`: fill the organisation's registry with `socle images mirror`, then `socle images lock` records the digest it serves for every catalog image (images.lock.yaml) and the render pins them. The allowed registries are the stack's `allowedRegistries`.",
  evidence: ["pod specs: containers[], initContainers[], ephemeralContainers[] `image`", "context: allowedRegistries"],
  check(resources, ctx) {
    const registries = ctx.allowedRegistries.map((r) => r.replace(/\/+$/, ""));
    const allowed = (repo: string): boolean => registries.some((r) => repo === r || repo.startsWith(`${r}/`));
    // A fleet names the same images again and again: each distinct reference is parsed once per check.
    const judged = new Map<string, { readonly pinned: boolean; readonly repo: string; readonly allowed: boolean }>();
    const judge = (image: string) => {
      let found = judged.get(image);
      if (!found) {
        const repo = repositoryOf(image);
        found = { pinned: DIGEST.test(image), repo, allowed: registries.length === 0 || allowed(repo) };
        judged.set(image, found);
      }
      return found;
    };
    return workloadsOf(resources).map(({ view, obj, pod }) => {
      const violations: Violation[] = [];
      for (const c of containersOf(pod)) {
        const image = c.container.image;
        if (!nonEmptyString(image)) {
          violations.push(violation(`container ${c.name} has no image`, `${c.path}.image`));
          continue;
        }
        const { pinned, repo, allowed: fromAllowed } = judge(image);
        if (!pinned) violations.push(violation(`container ${c.name} image ${image} is not pinned by a sha256 digest: run \`socle images lock\` to record the digest the registry serves in images.lock.yaml, then render again`, `${c.path}.image`));
        if (!fromAllowed) violations.push(violation(`container ${c.name} image ${repo} is not from an allowed registry (${registries.join(", ")})`, `${c.path}.image`));
      }
      const scope = registries.length > 0 ? "from an allowed registry" : "(no allowed registry is declared: registries not checked)";
      return verdict(view, violations, `every image of ${describe(obj)} is pinned by digest ${scope}`);
    });
  },
};
