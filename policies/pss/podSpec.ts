/**
 * The parts of the Kubernetes core/v1 pod API that the Pod Security Standards read.
 * Every field is optional: the evaluator sees manifests as written, before API defaulting.
 */

export interface Capabilities {
  readonly add?: readonly string[];
  readonly drop?: readonly string[];
}

export interface SeLinuxOptions {
  readonly user?: string;
  readonly role?: string;
  readonly type?: string;
  readonly level?: string;
}

export interface ProfileRef {
  readonly type?: string;
  readonly localhostProfile?: string;
}

export interface WindowsOptions {
  readonly hostProcess?: boolean;
}

export interface SecurityContext {
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly capabilities?: Capabilities;
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly procMount?: string;
  readonly seLinuxOptions?: SeLinuxOptions;
  readonly seccompProfile?: ProfileRef;
  readonly appArmorProfile?: ProfileRef;
  readonly windowsOptions?: WindowsOptions;
}

export interface PodSecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly seLinuxOptions?: SeLinuxOptions;
  readonly seccompProfile?: ProfileRef;
  readonly appArmorProfile?: ProfileRef;
  readonly windowsOptions?: WindowsOptions;
  readonly sysctls?: readonly { readonly name?: string; readonly value?: string }[];
}

export interface HostAction {
  readonly host?: string;
}

export interface Handler {
  readonly httpGet?: HostAction;
  readonly tcpSocket?: HostAction;
}

export interface Container {
  readonly name?: string;
  readonly securityContext?: SecurityContext;
  readonly ports?: readonly { readonly hostPort?: number; readonly containerPort?: number }[];
  readonly livenessProbe?: Handler;
  readonly readinessProbe?: Handler;
  readonly startupProbe?: Handler;
  readonly lifecycle?: { readonly postStart?: Handler; readonly preStop?: Handler };
}

export interface Volume {
  readonly name?: string;
  readonly [source: string]: unknown;
}

export interface PodSpec {
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly hostUsers?: boolean;
  readonly os?: { readonly name?: string };
  readonly securityContext?: PodSecurityContext;
  readonly volumes?: readonly Volume[];
  readonly initContainers?: readonly Container[];
  readonly containers?: readonly Container[];
  readonly ephemeralContainers?: readonly Container[];
}

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}
