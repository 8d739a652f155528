import type { CheckResult, Control, KubernetesObject, Violation } from "../../types";
import { describe, isKind, specOf } from "../lib/k8s";
import { ofKinds } from "../lib/indexes";
import { verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { asRecord, asString, isRecord, nonEmptyString, type Json } from "../lib/values";

/** Annotation naming the region of a backup store whose endpoint does not show it. */
export const REGION_ANNOTATION = "socle.io/region";

export const control: Control = {
  id: "snc-data-backup-region",
  title: {
    fr: "Sauvegardes stockées dans une région autorisée",
    en: "Backups stored in an allowed region",
  },
  snc: verifiedSection("12", "12.5", "Sauvegarde des informations"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "Backups are subject to the same location requirements as the operational data (12.5.d), hence to 19.2: an object store outside the allowed regions, or the default AWS S3 endpoint of barman and Velero, sends a full copy of the data outside the qualified perimeter.",
  remediation:
    "Point backups at the qualified provider's object storage in an allowed region: set `endpointURL` (CloudNativePG) or `config.s3Url` and `config.region` (Velero) explicitly. When the endpoint's host does not contain the region name, annotate the object `socle.io/region: <region>`.",
  evidence: [
    "postgresql.cnpg.io Cluster `spec.backup.barmanObjectStore.endpointURL`",
    "barmancloud.cnpg.io ObjectStore `spec.configuration.endpointURL`",
    "velero.io BackupStorageLocation `spec.config.region`, `spec.config.s3Url`",
    `annotation \`${REGION_ANNOTATION}\`; context: allowedRegions`,
  ],
  check(resources, ctx) {
    const allowed = ctx.allowedRegions;
    const results: CheckResult[] = [];
    const stores = ofKinds(resources, [
      ["postgresql.cnpg.io", "Cluster"],
      ["barmancloud.cnpg.io", "ObjectStore"],
      ["velero.io", "BackupStorageLocation"],
    ]);
    for (const { view, obj } of stores) {
      const annotated = asString(obj.metadata.annotations?.[REGION_ANNOTATION]);
      let violations: Violation[] | undefined;
      if (isKind(obj, "postgresql.cnpg.io", "Cluster")) {
        const store = asRecord(specOf(obj).backup).barmanObjectStore;
        if (isRecord(store)) violations = endpointViolations(store, "spec.backup.barmanObjectStore.endpointURL", annotated, allowed);
      } else if (isKind(obj, "barmancloud.cnpg.io", "ObjectStore")) {
        violations = endpointViolations(asRecord(specOf(obj).configuration), "spec.configuration.endpointURL", annotated, allowed);
      } else if (isKind(obj, "velero.io", "BackupStorageLocation")) {
        violations = veleroViolations(obj, annotated, allowed);
      }
      if (violations) results.push(verdict(view, violations, `${describe(obj)} stores backups in an allowed region or in the cluster`));
    }
    return results;
  },
};

function endpointViolations(store: Json, path: string, annotated: string | undefined, allowed: readonly string[]): Violation[] {
  const url = asString(store.endpointURL);
  if (!nonEmptyString(url)) return [violation("no endpointURL: barman then uses the AWS S3 endpoint", path)];
  return hostViolations(url, path, annotated, allowed);
}

function veleroViolations(bsl: KubernetesObject, annotated: string | undefined, allowed: readonly string[]): Violation[] {
  const config = asRecord(specOf(bsl).config);
  const s3Url = asString(config.s3Url);
  const region = asString(config.region);
  if (nonEmptyString(s3Url) && inCluster(s3Url)) return [];
  if (!nonEmptyString(s3Url) && specOf(bsl).provider !== undefined && /aws/.test(String(specOf(bsl).provider))) {
    return [violation("no config.s3Url: the AWS plugin then uses the AWS S3 endpoint", "spec.config.s3Url")];
  }
  if (nonEmptyString(region)) return allowed.includes(region) ? [] : [violation(`backup region ${region} is not an allowed region (${allowed.join(", ") || "none"})`, "spec.config.region")];
  if (nonEmptyString(s3Url)) return hostViolations(s3Url, "spec.config.s3Url", annotated, allowed);
  return [violation("neither config.region nor config.s3Url says where backups are stored", "spec.config")];
}

function hostViolations(url: string, path: string, annotated: string | undefined, allowed: readonly string[]): Violation[] {
  if (inCluster(url)) return [];
  if (annotated !== undefined) return allowed.includes(annotated) ? [] : [violation(`backup region ${annotated} (annotation ${REGION_ANNOTATION}) is not an allowed region`, `metadata.annotations.${REGION_ANNOTATION}`)];
  const labels = hostOf(url).toLowerCase().split(".");
  if (allowed.some((r) => labels.includes(r.toLowerCase()))) return [];
  return [violation(`the region of backup endpoint ${hostOf(url)} is not an allowed region (${allowed.join(", ") || "none"}); annotate ${REGION_ANNOTATION} if the host hides it`, path)];
}

const hostOf = (url: string): string => url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/[/:?#].*$/, "");

/** An in-cluster object store (a Service name): the backups stay where the cluster is. */
function inCluster(url: string): boolean {
  const host = hostOf(url);
  return !host.includes(".") || /\.svc(\.cluster\.local)?$/.test(host) || host.endsWith(".cluster.local");
}
