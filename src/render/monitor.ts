import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { SIG_KEY, WIRE_UNKNOWN } from "./markers";

/** Everything the engine told us about one resource registration, in wire form. */
export interface Registration {
  readonly mockUrn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parentMockUrn?: string;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly dependencies: readonly string[];
  /** `mockUrn::id` of an explicit provider, when one was given. */
  readonly providerRef?: string;
  /** Package version the SDK asked for (names the default provider). */
  readonly version?: string;
  readonly inputs: Record<string, unknown>;
  readonly additionalSecretOutputs: readonly string[];
  /** Read, not managed, by the stack (e.g. a StackReference): `external` in the state. */
  readonly external?: boolean;
  id?: string;
  outputs?: Record<string, unknown>;
}

/** Types whose outputs are generated secrets: their values are recorded so that no copy of them is ever written. */
const GENERATED_SECRET_OUTPUTS: Record<string, readonly string[]> = {
  "random:index/randomPassword:RandomPassword": ["result", "bcryptHash"],
  "random:index/randomString:RandomString": ["result"],
  "random:index/randomBytes:RandomBytes": ["base64", "hex"],
  "tls:index/privateKey:PrivateKey": ["privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8"],
};

/**
 * The SDK's mock monitor, used as a recording engine: it answers registrations the way a preview
 * would (values a provider computes stay unknown) and remembers every request in full.
 */
export class RecordingMonitor extends MockMonitor {
  readonly registrations = new Map<string, Registration>();
  /** Values produced as generated secrets during this render: never to be written in clear. */
  readonly secretValues = new Set<string>();
  readonly stackOutputs = new Map<string, Record<string, unknown>>();
  readonly invokes: string[] = [];

  /**
   * `platformOutputs`: a tenant's platform's stack outputs (its rendered state), what its StackReference reads.
   * `referencedOutputs`: a platform's tenants, by StackReference name: their outputs, or undefined when their
   * state does not exist (the reference is then unknown, as in a preview: no value is invented).
   */
  constructor(
    private readonly stackName: string,
    private readonly platformOutputs?: Record<string, unknown>,
    private readonly referencedOutputs?: ReadonlyMap<string, Record<string, unknown> | undefined>,
  ) {
    super({
      newResource: (args) => this.newResource(args),
      call: (args) => {
        this.invokes.push(args.token);
        return {};
      },
    });
  }

  private newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    if (args.type.startsWith("kubernetes:") && !args.type.startsWith("kubernetes:helm")) {
      const meta = (inputs.metadata ?? {}) as { name?: string; namespace?: string };
      const id = meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name;
      return { id, state: inputs };
    }
    if (args.type === "pulumi:pulumi:StackReference" && this.referencedOutputs?.has(String(inputs.name ?? args.name))) {
      const ref = String(inputs.name ?? args.name);
      const outputs = this.referencedOutputs.get(ref);
      if (outputs === undefined) return { id: ref, state: { name: inputs.name, outputs: WIRE_UNKNOWN, secretOutputNames: WIRE_UNKNOWN } };
      const secretOutputNames = Object.keys(outputs).filter((k) => isSecretValue(outputs[k]));
      return { id: ref, state: { name: inputs.name, outputs, secretOutputNames } };
    }
    if (args.type === "pulumi:pulumi:StackReference" && this.platformOutputs) {
      // The SDK's StackReference reads `outputs` and `secretOutputNames` from the state it is given.
      const secretOutputNames = Object.keys(this.platformOutputs).filter((k) => isSecretValue(this.platformOutputs![k]));
      return { id: String(inputs.name ?? args.name), state: { name: inputs.name, outputs: this.platformOutputs, secretOutputNames } };
    }
    const generated = GENERATED_SECRET_OUTPUTS[args.type];
    if (generated) {
      const state: Record<string, unknown> = { ...inputs };
      for (const key of generated) {
        const value = fakeSecret(this.stackName, args.type, args.name, key);
        this.secretValues.add(value);
        state[key] = value;
      }
      return { id: "none", state };
    }
    // Everything else is computed by a cloud provider: in a preview its id and computed outputs are unknown.
    return { id: undefined, state: inputs };
  }

  /**
   * What the SDK's `MockMonitor.registerResource` does (runtime/mocks.js: decode the request's inputs,
   * ask `newResource`, serialize the state it answers, store it, answer it), with the wire decoded once,
   * recorded in full, and without protobuf in the answer. Two shortcuts, neither changing a value:
   * - inputs holding only plain values (no signature key: no secret, asset, resource reference; no
   *   unknown) are what the SDK's decode-then-serialize would give back, key for key: when `newResource`
   *   answers them unchanged (every Kubernetes object, every cloud resource), they are the state;
   * - the answer is the object the SDK reads from a response, as its own offline path builds it
   *   (`runtime/resource.js`, `registerResource`: `getUrn`, `getId`, `getObject`,
   *   `getPropertydependenciesMap`, `getResult`), its `getObject().toJavaScript()` the stored state,
   *   which the SDK copies as it deserializes.
   */
  override async registerResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
    let answer: RegisterAnswer;
    try {
      const wire = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const record: Registration = {
        mockUrn: "",
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        parentMockUrn: req.getParent() || undefined,
        protect: Boolean(req.getProtect()),
        retainOnDelete: Boolean(req.getRetainondelete?.()),
        dependencies: req.getDependenciesList(),
        providerRef: req.getProvider() || undefined,
        version: req.getVersion() || undefined,
        inputs: wire,
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      };
      const plain = isPlainWire(wire);
      const inputs = plain ? wire : rpc.deserializeProperties({ toJavaScript: () => wire } as Parameters<typeof rpc.deserializeProperties>[0]);
      const result = this.newResource({ type: record.type, name: record.name, inputs, provider: req.getProvider(), custom: record.custom, id: req.getImportid() });
      // The mock monitor's own URN (private in its typings only).
      const urn = (this as unknown as { newUrn(parent: string, type: string, name: string): string }).newUrn(req.getParent(), record.type, record.name);
      const state = plain && result.state === inputs ? wire : ((await rpc.serializeProperties("", result.state)) as Record<string, unknown>);
      this.resources.set(urn, { urn, id: result.id ?? null, state });
      (record as { mockUrn: string }).mockUrn = urn;
      record.id = result.id || undefined;
      record.outputs = state;
      this.registrations.set(urn, record);
      answer = {
        getUrn: () => urn,
        getId: () => result.id || "",
        getObject: () => ({ toJavaScript: () => state }),
        getPropertydependenciesMap: () => undefined,
        getResult: () => 0,
      };
    } catch (err) {
      callback(err, undefined);
      return;
    }
    callback(null, answer);
  }

  override async readResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
    const record: Registration = {
      mockUrn: "",
      type: req.getType(),
      name: req.getName(),
      custom: true,
      parentMockUrn: req.getParent() || undefined,
      protect: false,
      retainOnDelete: false,
      dependencies: req.getDependenciesList?.() ?? [],
      providerRef: req.getProvider() || undefined,
      version: req.getVersion?.() || undefined,
      inputs: (req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
      additionalSecretOutputs: [],
      external: true,
      id: req.getId() || undefined,
    };
    await super.readResource(req, (err: any, resp: any) => {
      if (!err && resp) {
        (record as { mockUrn: string }).mockUrn = resp.getUrn();
        record.outputs = (resp.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
        this.registrations.set(record.mockUrn, record);
      }
      callback(err, resp);
    });
  }

  override registerResourceOutputs(req: any, callback: (err: any, resp: any) => void): void {
    const outputs = (req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
    this.stackOutputs.set(req.getUrn(), outputs);
    super.registerResourceOutputs(req, callback);
  }
}

/** A RegisterResourceResponse, as far as the SDK reads one. */
interface RegisterAnswer {
  getUrn(): string;
  getId(): string;
  getObject(): { toJavaScript(): Record<string, unknown> };
  getPropertydependenciesMap(): undefined;
  getResult(): number;
}

/**
 * Whether decoded wire values are plain data: no object carries Pulumi's signature key (secret, asset,
 * archive, resource reference, output value) and no string is the unknown sentinel. The SDK's
 * `deserializeProperty` and `serializeProperty` (runtime/rpc.js) copy such values unchanged.
 */
export function isPlainWire(value: unknown): boolean {
  if (typeof value === "string") return value !== WIRE_UNKNOWN;
  if (value === null || typeof value !== "object") return true;
  if (Array.isArray(value)) {
    for (const v of value) if (!isPlainWire(v)) return false;
    return true;
  }
  if (SIG_KEY in value) return false;
  for (const k in value) if (!isPlainWire((value as Record<string, unknown>)[k])) return false;
  return true;
}

function fakeSecret(stack: string, type: string, name: string, key: string): string {
  // Deterministic, so renders are byte-identical; recognisable, so a leak test can find it.
  const digest = createHash("sha256").update(`${stack}\0${type}\0${name}\0${key}`).digest("hex").slice(0, 24);
  return `socle-render-secret-${digest}`;
}

/** A value `pulumi stack export` wrote as a secret (its signature key). */
function isSecretValue(value: unknown): boolean {
  return typeof value === "object" && value !== null && "4dabf18193072939515e22adb298388d" in value;
}
