import type { CheckResult, ResourceView } from "../../types";
import { describe, isKind } from "./k8s";
import { ofKinds } from "./indexes";
import { verdict, violation } from "./results";
import { asRecord, asString, isRecord, type Json } from "./values";

/** Annotation marking a ConfigMap whose data holds a Keycloak realm representation (JSON). */
export const REALM_ANNOTATION = "socle.io/keycloak-realm";

export interface RealmSource {
  readonly view: ResourceView;
  /** `KeycloakRealmImport identity/socle` or `ConfigMap identity/realm key realm.json`. */
  readonly where: string;
  /** Path of the realm inside the object. */
  readonly path: string;
  readonly realm?: Json;
  /** Why the realm could not be read. */
  readonly error?: string;
}

/** Every realm representation of the input: KeycloakRealmImport `spec.realm`, annotated ConfigMaps' JSON values. */
const realmsCache = new WeakMap<readonly ResourceView[], readonly RealmSource[]>();

/** The realms of the resources, in input order: read once per resource list (three identity controls ask). */
export function realmsOf(resources: readonly ResourceView[]): readonly RealmSource[] {
  let found = realmsCache.get(resources);
  if (!found) {
    found = readRealms(resources);
    realmsCache.set(resources, found);
  }
  return found;
}

function readRealms(resources: readonly ResourceView[]): readonly RealmSource[] {
  const out: RealmSource[] = [];
  // Only these two kinds can hold a realm: the kind index lists them in input order, as a scan would.
  for (const { view, obj } of ofKinds(resources, [["k8s.keycloak.org", "KeycloakRealmImport"], ["", "ConfigMap"]])) {
    if (isKind(obj, "k8s.keycloak.org", "KeycloakRealmImport")) {
      const realm = asRecord(obj.spec).realm;
      out.push(isRecord(realm) ? { view, where: describe(obj), path: "spec.realm", realm } : { view, where: describe(obj), path: "spec.realm", error: "spec.realm is missing" });
    } else if (isKind(obj, "", "ConfigMap") && obj.metadata.annotations?.[REALM_ANNOTATION] === "true") {
      const entries = Object.entries(asRecord(obj.data)).filter(([, v]) => typeof v === "string");
      if (entries.length === 0) out.push({ view, where: describe(obj), path: "data", error: "the ConfigMap has no data" });
      for (const [key, text] of entries) {
        const where = `${describe(obj)} key ${key}`;
        try {
          const realm: unknown = JSON.parse(text as string);
          out.push(isRecord(realm) ? { view, where, path: `data.${key}`, realm } : { view, where, path: `data.${key}`, error: "the value is JSON but not an object" });
        } catch (e) {
          out.push({ view, where, path: `data.${key}`, error: `the value is not JSON (${(e as Error).message})` });
        }
      }
    }
  }
  return out;
}

/** A realm that could be read, and the name reports give it. */
export interface ReadableRealm extends RealmSource {
  readonly realm: Json;
  readonly name: string;
}

/**
 * One result per realm of the input: `judge` decides on each realm that could be read; a realm that cannot
 * be read fails the control at its source (a realm nobody can read proves nothing).
 */
export function checkRealms(resources: readonly ResourceView[], judge: (source: ReadableRealm) => CheckResult): CheckResult[] {
  return realmsOf(resources).map((source) =>
    source.realm
      ? judge({ ...source, realm: source.realm, name: asString(source.realm.realm) ?? "(unnamed realm)" })
      : verdict(source.view, [violation(`${source.where}: ${source.error}`, source.path)]),
  );
}
