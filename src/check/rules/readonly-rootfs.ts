import type { KubernetesObject } from "../../../policies/types";
import { IMAGES } from "../../images/catalog";
import { IMAGE_FILESYSTEMS, type FilesystemFacts } from "../../images/filesystem";
import { inventory } from "../inventory";
import { asArray, asString, containers, imageRepository, isObject, objectId, type ContainerRef, type PodTemplate } from "../k8s";
import type { CheckFinding, CheckRule } from "../types";

/** Catalog name of an image reference (mirror prefix, tag and digest ignored). */
export function catalogName(image: string): string | undefined {
  const { repository } = imageRepository(image);
  for (const [name, entry] of Object.entries(IMAGES)) if ((entry as { repository: string }).repository === repository) return name;
  return undefined;
}

const under = (path: string, dir: string): boolean => path === dir || path.startsWith(dir.endsWith("/") ? dir : `${dir}/`);

interface Mount {
  readonly name: string;
  readonly mountPath: string;
  readonly index: number;
}

function mounts(c: ContainerRef): Mount[] {
  return asArray(c.container.volumeMounts).flatMap((m, index) =>
    isObject(m) && typeof m.name === "string" && typeof m.mountPath === "string" && m.subPath === undefined ? [{ name: m.name, mountPath: m.mountPath, index }] : [],
  );
}

function volumeKind(pod: PodTemplate, name: string, claimTemplates: readonly string[]): string | undefined {
  const v = asArray(pod.spec.volumes).find((x) => isObject(x) && x.name === name);
  if (isObject(v)) return Object.keys(v).find((k) => k !== "name");
  return claimTemplates.includes(name) ? "persistentVolumeClaim" : undefined;
}

function readOnlyRoot(c: ContainerRef): boolean {
  return isObject(c.container.securityContext) && c.container.securityContext.readOnlyRootFilesystem === true;
}

/** An init container of the same image mounts the volume elsewhere and its script names the hidden directory: it copies the content in. */
function copiedIn(pod: PodTemplate, c: ContainerRef, volume: string, dir: string): boolean {
  const repo = imageRepository(asString(c.container.image) ?? "").repository;
  return containers(pod).some(
    (i) =>
      i.init &&
      i !== c &&
      imageRepository(asString(i.container.image) ?? "").repository === repo &&
      mounts(i).some((m) => m.name === volume && !under(dir, m.mountPath) && !under(m.mountPath, dir)) &&
      [...asArray(i.container.command), ...asArray(i.container.args)].some((w) => typeof w === "string" && w.includes(dir)),
  );
}

function check(pod: PodTemplate, c: ContainerRef, facts: FilesystemFacts, claimTemplates: readonly string[], owner: KubernetesObject, out: CheckFinding[]): void {
  const ms = mounts(c);
  const object = objectId(owner);
  for (const dir of facts.contentDirs) {
    for (const m of ms) {
      if (!under(dir, m.mountPath) || volumeKind(pod, m.name, claimTemplates) !== "emptyDir") continue;
      if ((facts.populatedAtStart ?? []).some((p) => under(dir, p) || under(p, dir)) && !c.init) continue;
      if (copiedIn(pod, c, m.name, dir)) continue;
      out.push({
        rule: "readonly-rootfs",
        severity: "blocker",
        object,
        path: `${c.path}.volumeMounts[${m.index}].mountPath`,
        message: `empty volume "${m.name}" mounted at ${m.mountPath} in container ${c.name} hides ${dir}, which the image ships and needs (${facts.source.split(" (")[0]}); no init container of the same image copies it in first`,
        fix: `copy ${dir} into the volume from an init container of the same image (mount the volume elsewhere, e.g. cp -a ${dir}/. /target/), or do not mount over it`,
      });
    }
  }
  // The writable paths are those of the image's own process: a container that replaces the entrypoint
  // (`command`) runs something else, whose writes are its script's business.
  if (!readOnlyRoot(c) || c.container.command !== undefined) return;
  if (!facts.writablePaths) {
    out.push({
      rule: "readonly-rootfs",
      severity: "warning",
      object,
      path: `${c.path}.securityContext.readOnlyRootFilesystem`,
      message: `not checked: the directories the image of container ${c.name} writes are not recorded (${facts.unresolvedWritable ?? "unresolved"}), so a writable volume on each cannot be proved`,
      fix: "record the image's writable paths in src/images/filesystem.ts from its upstream Dockerfile and entrypoint",
    });
    return;
  }
  for (const w of facts.writablePaths) {
    if (ms.some((m) => under(w, m.mountPath))) continue;
    out.push({
      rule: "readonly-rootfs",
      severity: "blocker",
      object,
      path: `${c.path}.securityContext.readOnlyRootFilesystem`,
      message: `container ${c.name} has a read-only root file system but no volume on ${w}, which its image writes at run time (${facts.source.split(" (")[0]}): the write fails with EROFS`,
      fix: `mount a writable volume (emptyDir, or a PVC for data that must persist) at ${w}`,
    });
  }
}

export const readonlyRootfs: CheckRule = {
  id: "readonly-rootfs",
  description: "A read-only root file system has a writable volume on every path the image writes, and no empty volume hides content the image ships (src/images/filesystem.ts)",
  run(model) {
    const inv = inventory(model);
    const out: CheckFinding[] = [];
    for (const pod of inv.pods) {
      for (const c of containers(pod)) {
        const image = asString(c.container.image);
        if (!image) continue;
        const name = catalogName(image);
        const facts = name ? IMAGE_FILESYSTEMS[name] : undefined;
        if (!facts) {
          if (readOnlyRoot(c)) {
            out.push({
              rule: "readonly-rootfs",
              severity: "warning",
              object: objectId(pod.owner),
              path: `${c.path}.securityContext.readOnlyRootFilesystem`,
              message: `not checked: no file-system record for image ${name ?? imageRepository(image).repository} (container ${c.name}), so its writable paths and shipped content are unknown`,
              fix: "record the image's writable paths and content directories in src/images/filesystem.ts from its upstream Dockerfile",
            });
          }
          continue;
        }
        check(pod, c, facts, inv.claimTemplates.get(pod) ?? [], pod.owner, out);
      }
    }
    return out;
  },
};
