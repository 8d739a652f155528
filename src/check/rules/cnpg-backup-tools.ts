import { asString, isObject, objectId } from "../k8s";
import type { CheckFinding, CheckRule } from "../types";

/**
 * CloudNativePG's in-tree `barmanObjectStore` backup runs Barman Cloud inside the instance image. Only the
 * `system` postgres images ship it: "Both minimal and standard images are intended to be used with backup
 * plugins, such as Barman Cloud", while the system images "include ... Barman Cloud"
 * (cloudnative-pg/postgres-containers@d59775a5f8ddc8caa4558a6f3e855905d514bbae:README.md). The flavour is
 * the tag's `-minimal-`/`-standard-` part, as in cloudnative-pg/artifacts image catalogs.
 */
const SOURCE = "cloudnative-pg/postgres-containers@d59775a5f8ddc8caa4558a6f3e855905d514bbae:README.md";

function flavour(image: string): "minimal" | "standard" | undefined {
  const tag = image.split("@")[0]!.split(":").pop() ?? "";
  if (/-minimal(-|$)/.test(tag)) return "minimal";
  if (/-standard(-|$)/.test(tag)) return "standard";
  return undefined;
}

export const cnpgBackupTools: CheckRule = {
  id: "cnpg-backup-tools",
  description: "A CloudNativePG Cluster backed up with the in-tree barmanObjectStore runs an image that ships Barman Cloud (not a minimal/standard image)",
  run(model) {
    const out: CheckFinding[] = [];
    for (const c of model.objects) {
      if (c.kind !== "Cluster" || !c.apiVersion.startsWith("postgresql.cnpg.io/") || !isObject(c.spec)) continue;
      const backup = isObject(c.spec.backup) ? c.spec.backup : undefined;
      if (!backup || !isObject(backup.barmanObjectStore)) continue;
      const image = asString(c.spec.imageName);
      const f = image ? flavour(image) : undefined;
      if (!f) continue;
      out.push({
        rule: "cnpg-backup-tools",
        severity: "blocker",
        object: objectId(c),
        path: "spec.backup.barmanObjectStore",
        message: `the in-tree barmanObjectStore backup runs barman-cloud-wal-archive and barman-cloud-backup in the instance container, but ${f} images do not ship Barman Cloud (${SOURCE}): WAL archiving fails and no backup is ever taken`,
        fix: "use the Barman Cloud plugin (an ObjectStore and spec.plugins[barman-cloud.cloudnative-pg.io]) with minimal/standard images, or an image that ships Barman Cloud",
      });
    }
    return out;
  },
};
