import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

const OKS_KUBECONFIG_TEXT = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://oks.example.invalid:6443\ncontexts:\n- name: c\n  context:\n    cluster: c\ncurrent-context: c\n";

/** One resource registration as the engine saw it. */
export interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  readonly protect: boolean;
  readonly inputs: Record<string, any>;
  readonly urn: string;
}

/** Values data sources return under the mocks: only what the cloud components read. */
const INVOKES: Record<string, Record<string, unknown>> = {
  "openstack:networking/getNetwork:getNetwork": { id: "external-net-id", name: "ext-net" },
  "openstack:images/getImage:getImage": { id: "image-id" },
  "openstack:identity/getAuthScope:getAuthScope": {
    serviceCatalogs: [{ id: "k", name: "keystone", type: "identity", endpoints: [{ id: "e", interface: "public", region: "example-region-1", regionId: "example-region-1", url: "https://identity.example.invalid/v3" }] }],
  },
};

/** Outputs a provider computes, as fixed test values. */
const COMPUTED: Record<string, Record<string, unknown>> = {
  "outscale:index/oksCluster:OksCluster": { kubeconfig: OKS_KUBECONFIG_TEXT },
  "tls:index/privateKey:PrivateKey": { privateKeyPem: "-----BEGIN PRIVATE KEY-----\ntest-key\n-----END PRIVATE KEY-----\n" },
  "tls:index/selfSignedCert:SelfSignedCert": { certPem: "-----BEGIN CERTIFICATE-----\ntest-ca\n-----END CERTIFICATE-----\n" },
  "tls:index/locallySignedCert:LocallySignedCert": { certPem: "-----BEGIN CERTIFICATE-----\ntest-admin\n-----END CERTIFICATE-----\n" },
  "tls:index/certRequest:CertRequest": { certRequestPem: "-----BEGIN CERTIFICATE REQUEST-----\ntest\n-----END CERTIFICATE REQUEST-----\n" },
  "random:index/randomPassword:RandomPassword": { result: "test-join-token" },
  "openstack:loadbalancer/loadBalancer:LoadBalancer": { vipAddress: "10.20.0.10", vipPortId: "vip-port-id" },
  "openstack:networking/port:Port": { allFixedIps: ["10.20.0.20"] },
  "openstack:networking/floatingIp:FloatingIp": { address: "203.0.113.10" },
  "openstack:identity/ec2CredentialV3:Ec2CredentialV3": { access: "test-access", secret: "test-secret" },
  "openstack:identity/applicationCredential:ApplicationCredential": { secret: "test-app-secret" },
  "outscale:index/loadBalancer:LoadBalancer": { dnsName: "internal-api.example.invalid" },
  "outscale:index/publicIp:PublicIp": { publicIp: "203.0.113.20", publicIpId: "eipalloc-test" },
  "outscale:index/accessKey:AccessKey": { accessKeyId: "test-ak", secretKey: "test-sk" },
};

class Recorder extends MockMonitor {
  readonly records: Recorded[] = [];
  constructor() {
    super({
      newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...(COMPUTED[args.type] ?? {}), ...(args.type === "outscale:index/vm:Vm" ? { vmId: `${args.name}-id` } : {}) } }),
      call: (args) => INVOKES[args.token] ?? {},
    });
  }
  override async registerResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
    await super.registerResource(req, (err: any, resp: any) => {
      if (!err && resp) {
        this.records.push({
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent(),
          protect: Boolean(req.getProtect()),
          inputs: req.getObject()?.toJavaScript() ?? {},
          urn: resp.getUrn(),
        });
      }
      callback(err, resp);
    });
  }
}

export const OKS_KUBECONFIG = OKS_KUBECONFIG_TEXT;

/** Installs the recording mocks for this test file and returns the recorder. */
export function recordRegistrations(): Recorder {
  const monitor = new Recorder();
  pulumi.runtime.setMockOptions(monitor, "socle", "test", false);
  return monitor;
}

/** Resolves an Output to its value and secret-ness. */
export function settle<T>(o: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  return new Promise((resolve) => {
    o.apply(async (value) => {
      resolve({ value, secret: await pulumi.isSecret(o) });
      return value;
    });
  });
}

/** Waits until registrations stop arriving. */
export async function quiesce(monitor: Recorder): Promise<void> {
  let last = -1;
  while (monitor.records.length !== last) {
    last = monitor.records.length;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const ofType = (records: readonly Recorded[], type: string) => records.filter((r) => r.type === type);
