#!/usr/bin/env node
// The floor program of `npm run bench`: the resource tree and inputs of a render, replayed through the
// Pulumi SDK's own `setMocks` with trivial mocks. It is what any Pulumi program of the same shape costs
// under the SDK's mocks (SDK loading, serialization, registration): the render's CPU is measured
// against it, in the same bench, as a ratio that the machine's load does not decide.
//
// Plain JavaScript, loaded without tsx, using the SDK exactly as its documentation shows
// (`require("@pulumi/pulumi")`, `pulumi.runtime.setMocks`).
//
// Component resources are replayed with the inputs the program gave them: the SDK sends a component's
// inputs to the engine (runtime/resource.js, ComponentResource: unless PULUMI_NODEJS_SKIP_COMPONENT_INPUTS),
// `socle render` writes `inputs: {}` for components but records what they were sent as their `outputs`
// (the mock monitor answers a registration with its inputs). A ConfigGroup's inputs are every object it
// registers. `--no-component-inputs` replays them with `{}`, as this program did before.
//
// Usage: node bench/floor.js <state.json written by `socle render`> [--no-component-inputs]
"use strict";
const { readFileSync, writeFileSync } = require("node:fs");
const pulumi = require("@pulumi/pulumi");

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

const componentInputs = !process.argv.includes("--no-component-inputs");

async function main(file) {
  const state = JSON.parse(readFileSync(file, "utf8"));
  const resources = state.deployment.resources;
  const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  const [, stackName, project] = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(stackUrn) ?? [];

  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: args.custom === false ? undefined : `${args.name}_id`, state: args.inputs }),
      call: () => ({}),
    },
    project,
    stackName,
    true,
  );

  class Provider extends pulumi.ProviderResource {}
  const byUrn = new Map();
  const registered = [];
  for (const r of resources) {
    if (r.type === "pulumi:pulumi:Stack") continue;
    const name = r.urn.slice(r.urn.lastIndexOf("::") + 2);
    const opts = {};
    if (r.parent && byUrn.has(r.parent)) opts.parent = byUrn.get(r.parent);
    if (r.protect) opts.protect = true;
    const deps = (r.dependencies ?? []).map((u) => byUrn.get(u)).filter(Boolean);
    if (deps.length) opts.dependsOn = deps;
    if (r.provider) {
      const provider = byUrn.get(r.provider.slice(0, r.provider.lastIndexOf("::")));
      if (provider) opts.provider = provider;
    }
    const inputs = revive(r.inputs ?? {});
    let res;
    if (r.type.startsWith("pulumi:providers:")) {
      // Default providers are created by the engine, not by a program: not replayed.
      if (name.startsWith("default")) continue;
      res = new Provider(r.type.slice("pulumi:providers:".length), name, inputs, opts);
    } else if (r.custom) {
      res = new pulumi.CustomResource(r.type, name, inputs, opts);
    } else {
      res = new pulumi.ComponentResource(r.type, name, componentInputs ? revive(r.outputs ?? {}) : {}, opts);
    }
    byUrn.set(r.urn, res);
    registered.push(res);
  }
  for (const res of registered) if (!(res instanceof pulumi.CustomResource)) res.registerOutputs({});
  await Promise.all(registered.map((res) => res.urn.promise()));
  await pulumi.runtime.waitForRPCs?.();
  return registered.length;
}

/** Secret envelopes of the state become secret inputs again, as the program gave them. */
function revive(value) {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === "object") {
    if (value[SECRET_SIG] !== undefined) return pulumi.secret(value.ciphertext ?? value.plaintext);
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = revive(v);
    return out;
  }
  return value;
}

main(process.argv[2]).then(
  (n) => {
    if (process.env.SOCLE_USAGE_FILE) {
      const usage = process.resourceUsage();
      writeFileSync(process.env.SOCLE_USAGE_FILE, JSON.stringify({ maxRSS: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime }));
    }
    process.stdout.write(`floor: ${n} resources registered\n`);
  },
  (err) => {
    process.stderr.write(`floor: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
