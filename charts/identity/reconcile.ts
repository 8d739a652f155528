import { createHash } from "node:crypto";

/**
 * Reconciling the realm on every `pulumi up` with keycloak-config-cli (adorsys/keycloak-config-cli, tag
 * v6.5.0 = 6219941b400f872068e08ded2a00d22a65719851), run as a Job inside the cluster.
 *
 * Facts used, all read at that tag:
 * - Dockerfile: runtime `eclipse-temurin:21-jre`, `USER 65534`, jar at `/app/keycloak-config-cli.jar`,
 *   `ENTRYPOINT exec java $JAVA_OPTS -jar /app/keycloak-config-cli.jar $0 $@` (so the container's args are
 *   the CLI's options), default `IMPORT_FILES_LOCATIONS=file:/config/*`. Nothing is written but Java's
 *   temporary directory: `/tmp` is the only writable mount.
 * - README.md, "Keycloak options": `KEYCLOAK_URL`, `KEYCLOAK_USER`, `KEYCLOAK_PASSWORD`, login realm `master`
 *   and client `admin-cli` by default, `--keycloak.availability-check.enabled` / `.timeout` (wait for Keycloak).
 * - README.md, "Import options": `--import.files.locations`, `--import.var-substitution.enabled` (off by
 *   default; syntax `$(env:NAME)`, prefix `$(` and suffix `)` by default), `--import.remote-state.enabled`
 *   (default true: "purge only resources managed by keycloak-config-cli").
 * - src/main/resources/application.properties: the option names used below and their defaults
 *   (`import.managed.client=full`, `...identity-provider`, `...identity-provider-mapper`, `...authentication-flow`,
 *   `...role`, `...group`, `...required-action` all `full`; `keycloak.availability-check.enabled=false`), which
 *   socle states explicitly so that a change of default upstream cannot change what a run deletes.
 * - docs/MANAGED.md: clients, identity providers, their mappers, authentication flows, roles, groups and
 *   required actions are "full managed" types; with remote state, a resource config-cli created and the
 *   file no longer lists is deleted, and resources it did not create are left alone. Users are managed only
 *   when the file lists `users`: socle's realm never does, so accounts, their credentials and sessions are
 *   never touched.
 */
export const CONFIG_CLI = {
  uid: 65534,
  configDir: "/config",
  tmpDir: "/tmp",
  labels: { "app.kubernetes.io/name": "keycloak-config-cli", "app.kubernetes.io/part-of": "socle-identity" },
} as const;

/** The realm file's reference to a secret held in the Job's environment (config-cli variable substitution). */
export function configCliPlaceholder(env: string): string {
  return `$(env:${env})`;
}

/**
 * Options of every run. `full` for the types socle declares, so that a client, provider, mapper or flow
 * removed from the realm is removed from Keycloak (remote state limits this to what config-cli created).
 */
export const CONFIG_CLI_ARGS: readonly string[] = [
  `--import.files.locations=file:${CONFIG_CLI.configDir}/*`,
  "--import.var-substitution.enabled=true",
  "--import.remote-state.enabled=true",
  "--import.managed.client=full",
  "--import.managed.identity-provider=full",
  "--import.managed.identity-provider-mapper=full",
  "--import.managed.authentication-flow=full",
  "--import.managed.role=full",
  "--import.managed.group=full",
  "--import.managed.required-action=full",
  "--keycloak.availability-check.enabled=true",
  "--keycloak.availability-check.timeout=600s",
];

/**
 * Name of the Job that applies a realm: it changes with the realm's content (and the tool's image), so any
 * change makes Pulumi replace the Job, which runs it again; an unchanged realm keeps the finished Job.
 */
export function reconcileJobName(realmJson: string, image: string): string {
  const digest = createHash("sha256").update(realmJson).update("\0").update(image).update("\0").update(CONFIG_CLI_ARGS.join(" ")).digest("hex");
  return `keycloak-realm-${digest.slice(0, 10)}`;
}
