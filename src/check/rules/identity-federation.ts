/**
 * `socle check` rule: will agents be able to sign in through the upstream identity providers of a realm?
 * Reads the realm the reconcile Job applies (ConfigMaps annotated `socle.io/keycloak-realm`), the Job that
 * carries the providers' client secrets, and Keycloak's NetworkPolicies. Nothing is fetched: the provider's
 * metadata is checked as the realm states it.
 */
import { realmsOf } from "../../../policies/controls/lib/keycloak";
import { asRecord, asString, records, type Json } from "../../../policies/controls/lib/values";
import type { KubernetesObject } from "../../../policies/types";
import { SECRET, SIG_KEY } from "../../render/markers";
import type { CheckFinding, CheckModel, CheckRule } from "../types";

export const RULE_ID = "identity-federation";

/** Claims each standard scope requests (OpenID Connect Core 1.0, section 5.4). */
const STANDARD_SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  openid: ["sub"],
  profile: ["name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"],
  email: ["email", "email_verified"],
  address: ["address"],
  phone: ["phone_number", "phone_number_verified"],
};
const ENDPOINTS = [
  ["authorizationUrl", "authorization_endpoint"],
  ["tokenUrl", "token_endpoint"],
  ["jwksUrl", "jwks_uri"],
] as const;
const PLACEHOLDER = /^\$\(env:([A-Za-z_][A-Za-z0-9_]*)\)$/;

const label = (o: KubernetesObject) => `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name ?? ""}`;

function httpsUrl(value: unknown): URL | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const u = new URL(value);
    return u.protocol === "https:" ? u : undefined;
  } catch {
    return undefined;
  }
}

/** Claims a mapper template or claim name reads (`${CLAIM.uid}` → uid). */
function claimsOf(mapper: Json): string[] {
  const config = asRecord(mapper.config);
  if (typeof config.claim === "string") return [config.claim];
  if (typeof config.template === "string") return [...config.template.matchAll(/\$\{CLAIM\.([^}]+)\}/g)].map((m) => m[1]!);
  return [];
}

export const identityFederationRule: CheckRule = {
  id: RULE_ID,
  description: "Each upstream identity provider of a realm states https endpoints on its issuer, gets its client secret from a Secret the reconcile Job reads, requests the claims it maps, and Keycloak may reach it.",
  run(model: CheckModel): CheckFinding[] {
    const findings: CheckFinding[] = [];
    const objects = model.objects;
    for (const source of realmsOf(model.resources)) {
      const realm = source.realm;
      if (!realm) continue;
      const cm = source.view.k8s;
      if (!cm) continue;
      const where = label(cm);
      const providers = records(realm.identityProviders).map(({ item }) => item).filter((p) => p.enabled !== false);
      if (providers.length === 0) continue;
      const ns = cm.metadata.namespace;
      const jobs = objects.filter((o) => o.kind === "Job" && o.metadata.namespace === ns && asRecord(o.metadata.annotations)["socle.io/reconciles"] === cm.metadata.name);
      const secrets = objects.filter((o) => o.kind === "Secret" && o.metadata.namespace === ns);
      const realmRoles = new Set(records(asRecord(realm.roles).realm).map(({ item }) => asString(item.name) ?? ""));
      const add = (severity: CheckFinding["severity"], path: string, message: string, fix: string, object = where) => findings.push({ rule: RULE_ID, severity, object, path, message, fix });

      providers.forEach((p, index) => {
        const alias = asString(p.alias) ?? `#${index}`;
        const config = asRecord(p.config);
        const at = (key: string) => `${source.path} identityProviders[${index}].config.${key}`;
        const issuer = httpsUrl(config.issuer);
        if (!issuer) add("blocker", at("issuer"), `provider ${alias}: issuer ${JSON.stringify(config.issuer)} is not an https URL; Keycloak checks the ID token's iss against it`, "set the provider's discoveryUrl to https://<issuer>/.well-known/openid-configuration");
        for (const [key, meta] of ENDPOINTS) {
          const url = httpsUrl(config[key]);
          if (!url) {
            add("blocker", at(key), `provider ${alias}: ${key} is missing or not https; the broker has no ${meta} to call (an import does not read the discovery document)`, `copy ${meta} from the provider's discovery document into socle:identityFederation.providers[].endpoints`);
          } else if (issuer && url.host !== issuer.host) {
            add("warning", at(key), `provider ${alias}: ${key} is on ${url.host}, not on the issuer's host ${issuer.host}`, "check it against the provider's discovery document; a different host is legitimate only if the document says so");
          }
        }
        // The client secret: a placeholder resolved from the reconcile Job's environment, itself from a Secret that holds the key.
        const env = PLACEHOLDER.exec(String(config.clientSecret ?? ""))?.[1];
        if (!env) {
          add("blocker", at("clientSecret"), `provider ${alias}: the client secret is not a $(env:NAME) reference; either it is in clear in the realm or the reconcile Job cannot resolve it`, "let socle write the realm: the secret comes from socle:identityFederation as a Pulumi secret");
        } else if (jobs.length === 0) {
          add("blocker", source.path, `no reconcile Job in ${ns} applies this realm (annotation socle.io/reconciles: ${cm.metadata.name}): provider ${alias} is never created`, "render the identity app with socle, which adds the keycloak-config-cli Job");
        } else {
          for (const job of jobs) {
            const container = records(asRecord(asRecord(asRecord(job.spec).template).spec).containers)[0]?.item;
            const ref = records(container?.env).map(({ item }) => item).find((e) => e.name === env);
            const key = asRecord(asRecord(ref?.valueFrom).secretKeyRef);
            const secret = secrets.find((s) => s.metadata.name === key.name);
            const fields = [asRecord(secret as unknown as Json).data, asRecord(secret as unknown as Json).stringData];
            // A state export wraps a map holding secrets whole (the audit input shows it as the `[secret]` marker, or
            // still as Pulumi's secret envelope): its keys are not visible, so they are not judged.
            const sealed = fields.some((f) => f === SECRET || SIG_KEY in asRecord(f));
            const raw = fields.map(asRecord);
            const data = { ...raw[0], ...raw[1] };
            if (!ref) add("blocker", "spec.template.spec.containers[0].env", `provider ${alias}: the Job does not define ${env}; config-cli stops on an undefined variable`, "add the variable from the clients Secret", label(job));
            else if (!secret || (!sealed && !(String(key.key) in data))) add("blocker", "spec.template.spec.containers[0].env", `provider ${alias}: ${env} reads Secret ${String(key.name)} key ${String(key.key)}, which is not rendered`, "give the provider's client secret to the identity component", label(job));
          }
        }
        // The claims the mappers read must be requested.
        const scopes = String(config.defaultScope ?? "openid").split(/\s+/).filter(Boolean);
        const requested = new Set([...scopes, ...scopes.flatMap((s) => STANDARD_SCOPE_CLAIMS[s] ?? [])]);
        records(realm.identityProviderMappers).forEach(({ item: m, index: mi }) => {
          if (m.identityProviderAlias !== alias) return;
          for (const claim of claimsOf(m)) {
            if (!requested.has(claim)) {
              add("warning", `${source.path} identityProviderMappers[${mi}]`, `provider ${alias}: mapper ${String(m.name)} reads claim ${claim}, which no requested scope (${scopes.join(" ")}) asks for`, "add the scope that returns it to the provider's scopes, or map another claim");
            }
          }
          const role = asString(asRecord(m.config).role);
          if (role && !realmRoles.has(role)) add("blocker", `${source.path} identityProviderMappers[${mi}]`, `provider ${alias}: mapper ${String(m.name)} grants role ${role}, which the realm does not define`, "declare the role in the realm's roles.realm");
        });
      });

      // Keycloak's back channel to the providers (token, keys): some egress on 443 outside the pod network.
      const keycloak = objects.find((o) => o.kind === "Deployment" && o.metadata.namespace === ns && o.metadata.name === "keycloak");
      const podLabels = asRecord(asRecord(asRecord(asRecord(keycloak?.spec).template).metadata).labels);
      const selectsKeycloak = (np: KubernetesObject) => {
        const match = asRecord(asRecord(asRecord(np.spec).podSelector).matchLabels);
        return Object.entries(match).every(([k, v]) => podLabels[k] === v);
      };
      const keycloakPolicies = objects.filter((o) => o.kind === "NetworkPolicy" && o.metadata.namespace === ns && selectsKeycloak(o));
      const opens443 = keycloakPolicies.some((np) =>
        records(asRecord(np.spec).egress).some(({ item }) => records(item.to).some(({ item: peer }) => peer.ipBlock !== undefined) && records(item.ports).some(({ item: port }) => Number(port.port) === 443)),
      );
      if (!opens443) add("blocker", source.path, `realm ${asString(realm.realm) ?? ""} federates ${providers.length} provider(s), but no NetworkPolicy in ${ns} lets Keycloak call out on 443: token and key requests will time out`, "render the identity chart with the federation (it adds allow-keycloak-to-federation)");
    }
    return findings;
  },
};
