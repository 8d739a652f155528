/** Bucket names of an organisation: `<org>-backups` and the apps' own buckets, deduplicated, in order. Pure. */
export function bucketNames(organization: string, appBuckets: readonly string[] = []): { readonly backups: string; readonly apps: readonly string[] } {
  const backups = `${organization}-backups`;
  return { backups, apps: [...new Set(appBuckets)].filter((b) => b !== backups) };
}
