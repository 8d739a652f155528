/**
 * Compile-time fixture, type-checked by `tsc -p .` (so by `npm test`): a key renamed on one side of a
 * Secret contract is a type error on the other. Each `@ts-expect-error` must meet an error, or tsc fails
 * with "Unused '@ts-expect-error' directive"; test/architecture/fixtures.test.ts checks each error is the
 * one named after its directive.
 */
import { BACKUP_CREDENTIALS, databaseCredentials, type DatabaseCredentials } from "../../charts/lib/secrets";
import { defineSecret, secretEnv } from "../../src/model/secrets";

const wikiOidc = defineSecret("keycloak-client-wiki", ["client-id", "client-secret"]);

/** Both sides through the contract: compiles. */
export const writer = wikiOidc.data({ "client-id": "wiki", "client-secret": "s" });
export const reader = wikiOidc.env("OIDC_CLIENT_SECRET", "client-secret");

// @ts-expect-error TS2345: the writer forgets a key.
export const missingKey = wikiOidc.data({ "client-id": "wiki" });

// @ts-expect-error TS2353: the writer renames a key (`client-secret` → `secret`).
export const renamedOnWrite = wikiOidc.data({ "client-id": "wiki", secret: "s" });

// @ts-expect-error TS2345: a reader names a key the Secret does not have.
export const renamedOnRead = wikiOidc.env("OIDC_CLIENT_SECRET", "clientSecret");

// @ts-expect-error TS2345: the same through `ref`, as CloudNativePG's s3Credentials read the backup key.
export const wrongBackupKey = BACKUP_CREDENTIALS.ref("AWS_ACCESS_KEY_ID");

// @ts-expect-error TS2345: the same through a chart's `secretEnv` helper.
export const wrongHelperKey = secretEnv("DB_USER", databaseCredentials("db"), "user");

// @ts-expect-error TS2322: a Secret whose keys are not basic-auth's cannot stand for database credentials.
export const notBasicAuth: DatabaseCredentials = defineSecret("db", ["user", "password"]);
