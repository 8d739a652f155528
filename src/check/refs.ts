/**
 * The references a pod makes to ConfigMaps, Secrets (and their keys), PersistentVolumeClaims and volumes,
 * with the field path of each, for the `ref-*` rules.
 */
import { asArray, asString, containers, isObject, type PodTemplate } from "./k8s";

export interface PodRef {
  readonly kind: "ConfigMap" | "Secret" | "PersistentVolumeClaim";
  readonly name: string;
  /** The key read, when the reference names one. */
  readonly key?: string;
  readonly optional: boolean;
  readonly path: string;
}

export function podRefs(t: PodTemplate): PodRef[] {
  const out: PodRef[] = [];
  const opt = (v: unknown) => v === true;
  asArray(t.spec.volumes).forEach((v, i) => {
    if (!isObject(v)) return;
    const at = `${t.path}.volumes[${i}]`;
    if (isObject(v.configMap)) {
      const name = asString(v.configMap.name);
      if (name) {
        out.push({ kind: "ConfigMap", name, optional: opt(v.configMap.optional), path: `${at}.configMap.name` });
        asArray(v.configMap.items).forEach((it, j) => {
          if (isObject(it) && typeof it.key === "string") out.push({ kind: "ConfigMap", name, key: it.key, optional: opt(v.configMap && (v.configMap as Record<string, unknown>).optional), path: `${at}.configMap.items[${j}].key` });
        });
      }
    }
    if (isObject(v.secret)) {
      const name = asString(v.secret.secretName);
      if (name) {
        out.push({ kind: "Secret", name, optional: opt(v.secret.optional), path: `${at}.secret.secretName` });
        asArray(v.secret.items).forEach((it, j) => {
          if (isObject(it) && typeof it.key === "string") out.push({ kind: "Secret", name, key: it.key, optional: opt((v.secret as Record<string, unknown>).optional), path: `${at}.secret.items[${j}].key` });
        });
      }
    }
    if (isObject(v.persistentVolumeClaim)) {
      const name = asString(v.persistentVolumeClaim.claimName);
      if (name) out.push({ kind: "PersistentVolumeClaim", name, optional: false, path: `${at}.persistentVolumeClaim.claimName` });
    }
    if (isObject(v.projected)) {
      asArray(v.projected.sources).forEach((s, j) => {
        if (!isObject(s)) return;
        for (const kind of ["configMap", "secret"] as const) {
          const src = s[kind];
          if (!isObject(src) || typeof src.name !== "string") continue;
          const K = kind === "configMap" ? "ConfigMap" : "Secret";
          out.push({ kind: K, name: src.name, optional: opt(src.optional), path: `${at}.projected.sources[${j}].${kind}.name` });
          asArray(src.items).forEach((it, k) => {
            if (isObject(it) && typeof it.key === "string") out.push({ kind: K, name: src.name as string, key: it.key, optional: opt(src.optional), path: `${at}.projected.sources[${j}].${kind}.items[${k}].key` });
          });
        }
      });
    }
  });
  for (const c of containers(t)) {
    asArray(c.container.env).forEach((e, i) => {
      if (!isObject(e) || !isObject(e.valueFrom)) return;
      const at = `${c.path}.env[${i}].valueFrom`;
      for (const [field, kind] of [
        ["configMapKeyRef", "ConfigMap"],
        ["secretKeyRef", "Secret"],
      ] as const) {
        const ref = e.valueFrom[field];
        if (isObject(ref) && typeof ref.name === "string") {
          out.push({ kind, name: ref.name, ...(typeof ref.key === "string" ? { key: ref.key } : {}), optional: opt(ref.optional), path: `${at}.${field}.${typeof ref.key === "string" ? "key" : "name"}` });
        }
      }
    });
    asArray(c.container.envFrom).forEach((e, i) => {
      if (!isObject(e)) return;
      if (isObject(e.configMapRef) && typeof e.configMapRef.name === "string") out.push({ kind: "ConfigMap", name: e.configMapRef.name, optional: opt(e.configMapRef.optional), path: `${c.path}.envFrom[${i}].configMapRef.name` });
      if (isObject(e.secretRef) && typeof e.secretRef.name === "string") out.push({ kind: "Secret", name: e.secretRef.name, optional: opt(e.secretRef.optional), path: `${c.path}.envFrom[${i}].secretRef.name` });
    });
  }
  return out;
}
