import { describe, expect, it } from "vitest";
import { inventory } from "../../src/check/inventory";
import { podNeeds } from "../../src/check/needs";
import { tlsTrust } from "../../src/check/rules/tls-trust";
import { configMap, model, ns, run, service, workload } from "./fixtures";

const needsOf = (objects: Parameters<typeof model>[0], name: string) => {
  const m = model(objects);
  const pod = inventory(m).pods.find((p) => p.owner.metadata.name === name)!;
  return podNeeds(m, pod).map((n) => `${n.host}:${n.port ?? "?"} ${n.from}`);
};

describe("needs derived from a workload's configuration", () => {
  const db = [service("a", "db-rw", { db: "x" }, [{ port: 5432 }]), service("a", "mail", { m: "x" }, [{ port: 993 }, { port: 465 }])];

  it("reads bare Service names of host settings with their sibling port, URLs, and host keys of mounted config files", () => {
    const objects = [
      ns("a"),
      ...db,
      configMap("a", "conf", { "config.json": '{ "store": { "host": "db-rw", "port": 5432 } }' }),
      workload("a", "web", {
        containers: [
          {
            name: "web",
            image: "x/w:1",
            env: [
              { name: "DB_HOST", value: "db-rw" },
              { name: "IMAP_HOST", value: "ssl://mail.a.svc.cluster.local" },
              { name: "IMAP_PORT", value: "993" },
              { name: "ALLOWED_HOSTS", value: "mail.a.svc" },
              { name: "JDBC", value: "jdbc:postgresql://db-rw:5432/app" },
            ],
          },
        ],
        volumes: [{ name: "c", configMap: { name: "conf" } }],
      }),
    ];
    expect(needsOf(objects, "web")).toEqual(["db-rw:? env", "mail.a.svc.cluster.local:993 env", "db-rw:5432 env", "db-rw:? config"]);
  });
});

describe("tls-trust on Service peers", () => {
  const objects = (volumes: Record<string, unknown>[]) => [
    ns("a"),
    { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "ca" }, spec: { ca: { secretName: "root-ca" } } },
    { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "mail", namespace: "a" }, spec: { secretName: "mail-tls", issuerRef: { kind: "ClusterIssuer", name: "ca" } } },
    { apiVersion: "trust.cert-manager.io/v1alpha1", kind: "Bundle", metadata: { name: "bundle" }, spec: { sources: [{ secret: { name: "root-ca", key: "ca.crt" } }], target: { configMap: { key: "ca.crt" } } } },
    workload("a", "mail", { labels: { app: "mail" }, containers: [{ name: "mail", image: "x/m:1", ports: [{ containerPort: 993 }] }], volumes: [{ name: "tls", secret: { secretName: "mail-tls" } }] }),
    service("a", "mail", { app: "mail" }, [{ port: 993 }]),
    workload("a", "web", { labels: { app: "web" }, containers: [{ name: "web", image: "x/w:1", env: [{ name: "IMAP_HOST", value: "imaps://mail.a.svc:993" }] }], volumes }),
    service("a", "web", { app: "web" }, [{ port: 80 }]),
  ];

  it("fails when the client does not mount the CA that issued the server's certificate", () => {
    expect(run(tlsTrust, objects([])).map((x) => [x.severity, x.object])).toEqual([["blocker", "Deployment/a/web"]]);
  });

  it("passes when it mounts the bundle built from that CA", () => {
    expect(run(tlsTrust, objects([{ name: "ca", configMap: { name: "bundle" } }]))).toEqual([]);
  });
});
