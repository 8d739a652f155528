import type { Control } from "../../types";
import { checkRealms } from "../lib/keycloak";
import { notApplicable, verdict, violation } from "../lib/results";
import { chapterOnly } from "../lib/snc";
import { asRecord, asString, records, type Json } from "../lib/values";

const PASSWORD_FORMS = new Set(["auth-username-password-form", "auth-password-form"]);
const SECOND_FACTORS = new Set(["auth-otp-form", "webauthn-authenticator", "webauthn-authenticator-passwordless"]);
/** Keycloak's "Advanced Claim to Role" identity-provider mapper (AdvancedClaimToRoleMapper). */
const CLAIM_TO_ROLE = "oidc-advanced-role-idp-mapper";

type Flows = ReadonlyMap<string, Json>;

export const control: Control = {
  id: "snc-identity-federation",
  title: {
    fr: "Connexion fédérée au niveau d'assurance attendu, sans mot de passe local pour les agents fédérés",
    en: "Federated sign-in at the expected assurance level, no local password for federated agents",
  },
  // The referential's authentication requirements are in chapter 9; no public source consulted confirms
  // which section covers federated authentication, so only the chapter is claimed.
  snc: chapterOnly("9"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "When agents sign in through an upstream identity federation (ProConnect), the realm must refuse a federated sign-in whose authentication context (`acr`) is below the expected level, or else ask for its own second factor; accounts must be linked on first sign-in only by an email the provider vouches for; and agents must not keep a second way in with a local password: only break-glass administrators (with their second factor) may use one.",
  remediation:
    "Set `socle:identityFederation.providers[].acrValues` (e.g. eidas1) so the realm maps the `acr` claim to an assurance role and denies sign-ins without it; keep `trustEmail` on providers whose first-login flow auto-links accounts; keep `socle:identityFederation.localPasswords` false so the password form denies everyone outside the break-glass group.",
  evidence: [
    "ConfigMaps annotated `socle.io/keycloak-realm: \"true\"` and KeycloakRealmImport `spec.realm`",
    "realm `identityProviders[]` (alias, enabled, trustEmail, firstBrokerLoginFlowAlias, postBrokerLoginFlowAlias)",
    "realm `identityProviderMappers[]` (`oidc-advanced-role-idp-mapper` on claim `acr`, role)",
    "realm `authenticationFlows[]` and `authenticatorConfig[]` (`conditional-user-role` with `negate`, `deny-access-authenticator`, `idp-auto-link`)",
    "realm `users[]` with `federatedIdentities` and `credentials[].type`",
  ],
  check(resources) {
    return checkRealms(resources, (source) => {
      const { realm, name } = source;
      const providers = records(realm.identityProviders).map(({ item }) => item).filter((p) => p.enabled !== false);
      if (providers.length === 0) {
        return notApplicable(source.view, `realm ${name} (${source.where}) has no upstream identity provider`);
      }
      const flows: Flows = new Map(records(realm.authenticationFlows).map(({ item }) => [asString(item.alias) ?? "", item]));
      const configs = new Map(records(realm.authenticatorConfig).map(({ item }) => [asString(item.alias) ?? "", asRecord(item.config)]));
      const mappers = records(realm.identityProviderMappers).map(({ item }) => item);
      const problems: string[] = [];
      const notes: string[] = [];
      for (const p of providers) {
        const alias = asString(p.alias) ?? "(no alias)";
        const assurance = assuranceOf(alias, p, mappers, flows, configs);
        if (assurance) notes.push(`${alias}: ${assurance}`);
        else problems.push(`provider ${alias}: a sign-in through it is accepted at any assurance level: no \`acr\` claim mapped to a role the post-broker flow requires, and no second factor asked after it`);
        const first = flows.get(asString(p.firstBrokerLoginFlowAlias) ?? "first broker login");
        if (first && usesAuthenticator(first, flows, "idp-auto-link", new Set()) && p.trustEmail !== true) {
          problems.push(`provider ${alias}: its first sign-in links accounts by email (idp-auto-link) but the provider's emails are not trusted (trustEmail false): anyone with an unverified address there takes over the local account`);
        }
      }
      const browser = flows.get(asString(realm.browserFlow) ?? "browser");
      const open = browser ? unrestrictedPasswordForms(browser, flows, configs) : [];
      if (open.length > 0) problems.push(`agents can still sign in with a local password: the password form of flow(s) ${open.join(", ")} lets everyone through, not only break-glass administrators`);
      else notes.push("the password form admits only the break-glass role");
      const withPassword = records(realm.users)
        .map(({ item }) => item)
        .filter((u) => records(u.federatedIdentities).length > 0 && records(u.credentials).some(({ item }) => item.type === "password"));
      for (const u of withPassword) problems.push(`user ${asString(u.username) ?? "(unnamed)"} is federated and also holds a local password`);
      return verdict(
        source.view,
        problems.map((m) => violation(`realm ${name} (${source.where}): ${m}`, source.path)),
        `realm ${name}: ${notes.join("; ")}`,
      );
    });
  },
};

/** How a provider's sign-ins reach an accepted level: the acr claim gates a role the post-broker flow requires, or the flow asks for a second factor. */
function assuranceOf(alias: string, provider: Json, mappers: readonly Json[], flows: Flows, configs: ReadonlyMap<string, Json>): string | undefined {
  const post = flows.get(asString(provider.postBrokerLoginFlowAlias) ?? "");
  if (!post) return undefined;
  const acrRoles = mappers
    .filter((m) => m.identityProviderAlias === alias && m.identityProviderMapper === CLAIM_TO_ROLE)
    .filter((m) => claimKeys(asRecord(m.config).claims).includes("acr"))
    .map((m) => asString(asRecord(m.config).role) ?? "");
  const denied = deniedUnlessRoles(post, flows, configs, new Set());
  const role = acrRoles.find((r) => r !== "" && denied.includes(r));
  if (role) return `acr checked (role ${role} required after sign-in)`;
  if (records(post.authenticationExecutions).some(({ item }) => item.requirement === "REQUIRED" && SECOND_FACTORS.has(String(item.authenticator)))) return "a second factor of this realm after sign-in";
  return undefined;
}

function claimKeys(claims: unknown): string[] {
  try {
    const list: unknown = typeof claims === "string" ? JSON.parse(claims) : claims;
    return Array.isArray(list) ? list.map((c) => String(asRecord(c).key)) : [];
  } catch {
    return [];
  }
}

/** Roles without which a flow (or a CONDITIONAL sub-flow of it) denies access: `conditional-user-role` negated, then `deny-access-authenticator`. */
function deniedUnlessRoles(flow: Json, flows: Flows, configs: ReadonlyMap<string, Json>, seen: Set<string>): string[] {
  const alias = asString(flow.alias) ?? "";
  if (seen.has(alias)) return [];
  seen.add(alias);
  const executions = records(flow.authenticationExecutions).map(({ item }) => item);
  const roles: string[] = [];
  const denies = executions.some((e) => e.authenticator === "deny-access-authenticator" && e.requirement === "REQUIRED");
  if (denies) {
    for (const e of executions) {
      if (e.authenticator !== "conditional-user-role") continue;
      const config = configs.get(asString(e.authenticatorConfig) ?? "");
      if (config && String(config.negate) === "true" && typeof config.condUserRole === "string") roles.push(config.condUserRole);
    }
  }
  for (const e of executions) {
    if (e.authenticatorFlow !== true || (e.requirement !== "CONDITIONAL" && e.requirement !== "REQUIRED")) continue;
    const child = flows.get(asString(e.flowAlias) ?? "");
    if (child) roles.push(...deniedUnlessRoles(child, flows, configs, seen));
  }
  return roles;
}

function usesAuthenticator(flow: Json, flows: Flows, authenticator: string, seen: Set<string>): boolean {
  const alias = asString(flow.alias) ?? "";
  if (seen.has(alias)) return false;
  seen.add(alias);
  return records(flow.authenticationExecutions).some(({ item }) => {
    if (item.authenticator === authenticator && item.requirement !== "DISABLED") return true;
    const child = item.authenticatorFlow === true ? flows.get(asString(item.flowAlias) ?? "") : undefined;
    return child !== undefined && usesAuthenticator(child, flows, authenticator, seen);
  });
}

/** Flows holding a password form that no role check follows (everyone who knows a password gets in). */
function unrestrictedPasswordForms(flow: Json, flows: Flows, configs: ReadonlyMap<string, Json>, seen = new Set<string>()): string[] {
  const alias = asString(flow.alias) ?? "";
  if (seen.has(alias)) return [];
  seen.add(alias);
  const executions = records(flow.authenticationExecutions).map(({ item }) => item);
  const out: string[] = [];
  if (executions.some((e) => PASSWORD_FORMS.has(String(e.authenticator)) && e.requirement !== "DISABLED")) {
    if (deniedUnlessRoles(flow, flows, configs, new Set()).length === 0) out.push(alias);
  }
  for (const e of executions) {
    const child = e.authenticatorFlow === true ? flows.get(asString(e.flowAlias) ?? "") : undefined;
    if (child) out.push(...unrestrictedPasswordForms(child, flows, configs, seen));
  }
  return out;
}
