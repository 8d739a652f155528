import { defineSecret, type SecretContract } from "../../src/model/secrets";

/**
 * Secret contracts shared by every app: written by the app's component (components/apps), read by the
 * charts and by the operators the charts configure.
 */

/**
 * Key of the backup bucket in each app's namespace, read by CloudNativePG's `barmanObjectStore.s3Credentials`
 * (`accessKeyId`, `secretAccessKey`: each a `{name, key}` selector; the key names are socle's choice).
 */
export const BACKUP_CREDENTIALS = defineSecret("backup-s3-credentials", ["ACCESS_KEY_ID", "ACCESS_SECRET_KEY"]);
export type BackupCredentialsSecret = typeof BACKUP_CREDENTIALS;

/** The key names of a database owner's credentials: those of a `kubernetes.io/basic-auth` Secret (Kubernetes fixes them). */
export const BASIC_AUTH_KEYS = ["username", "password"] as const;
/**
 * A database owner's credentials, a `kubernetes.io/basic-auth` Secret: read by CloudNativePG's
 * `bootstrap.initdb.secret` (which requires exactly these keys) and by the app that connects.
 */
export type DatabaseCredentials = SecretContract<string, typeof BASIC_AUTH_KEYS>;
export function databaseCredentials<const Name extends string>(name: Name): SecretContract<Name, typeof BASIC_AUTH_KEYS> {
  return defineSecret(name, BASIC_AUTH_KEYS);
}
