/**
 * What each catalog image does with its file system, for `socle check`'s read-only root file system rule:
 * the directories the image's process writes at run time (each needs a writable volume when the root file
 * system is read-only), the directories it ships content in that the process needs (an empty volume mounted
 * there hides it), and the directories its entrypoint fills at start (an empty volume there is expected).
 * Keyed by the image's name in `src/images/catalog.ts`; every fact names its upstream file. An image not listed
 * here, or a list marked unresolved, is reported "not checked", never passed.
 */

export interface FilesystemFacts {
  /** Directories the process writes; absent when not established (then `unresolvedWritable` says why). */
  readonly writablePaths?: readonly string[];
  readonly unresolvedWritable?: string;
  /** Directories whose shipped content the process reads. */
  readonly contentDirs: readonly string[];
  /** Directories the entrypoint populates at start, so an empty volume there is filled, not hiding anything. */
  readonly populatedAtStart?: readonly string[];
  /** Upstream files the facts come from, and the version they were read at. */
  readonly source: string;
}

export const IMAGE_FILESYSTEMS: Readonly<Record<string, FilesystemFacts>> = {
  keycloak: {
    contentDirs: ["/opt/keycloak/lib/quarkus"],
    unresolvedWritable:
      "the directories Keycloak writes under /opt/keycloak/data at run time are not established from a stored upstream file at 26.8.0",
    source:
      "keycloak/keycloak@014f6c38da515c7d130a7fc570e34b0ef817e183:quarkus/dist/src/main/content/bin/kc.sh (runs $DIRNAME/../lib/quarkus-run.jar with " +
      "io.quarkus.bootstrap.runner.QuarkusEntryPoint, also for `kc.sh build`), Quarkus QuarkusEntryPoint.QUARKUS_APPLICATION_DAT = " +
      '"quarkus/quarkus-application.dat" next to the runner jar (search index file 17098438576), and quarkus/container/Dockerfile ' +
      "(keycloak/keycloak@0463815bc93acbe22cf0b347af7cbd11e5a56d65: the distribution is copied whole to /opt/keycloak). Read on stored " +
      "versions of main, not at tag 26.8.0.",
  },
  xwiki: {
    writablePaths: ["/usr/local/xwiki/data", "/usr/local/tomcat/webapps/ROOT/WEB-INF"],
    contentDirs: ["/usr/local/tomcat/webapps/ROOT"],
    source:
      "xwiki/xwiki-docker@b16c173e8f78f3e143f337b737ae3325d17877c0:17/postgres-tomcat/Dockerfile (the WAR unzipped into " +
      "/usr/local/tomcat/webapps/ROOT, JDBC driver in WEB-INF/lib, /usr/local/xwiki/data created) and 17/postgres-tomcat/xwiki/docker-entrypoint.sh " +
      "(touches webapps/$CONTEXT_PATH/.first_start_completed, rewrites WEB-INF/xwiki.cfg and xwiki.properties, recreates /usr/local/xwiki/data/tmp). " +
      "Read at XWIKI_VERSION 17.10.12, the newest in the stored snapshot; the catalog pins 17.10.13.",
  },
  roundcube: {
    writablePaths: ["/var/www/html", "/tmp"],
    contentDirs: ["/usr/src/roundcubemail"],
    populatedAtStart: ["/var/www/html"],
    source:
      "roundcube/roundcubemail-docker@ce5fe1f3070a611f0326bcb72bddc7d28ad136b6:apache/Dockerfile (sources unpacked in /usr/src/roundcubemail) and " +
      "apache/docker-entrypoint.sh (copies /usr/src/roundcubemail into the empty docroot with tar, writes config/config.inc.php and " +
      "config/config.docker.inc.php under it, temp_dir default /tmp/roundcube-temp). Read at ROUNDCUBEMAIL_VERSION 1.7.1, the newest in the " +
      "stored snapshot; the catalog pins 1.7.4.",
  },
};
