// Start-up of a `socle` process, run by bin/socle.js BEFORE tsx's require hooks are installed (plain
// CommonJS for that reason). Two jobs, both documented in docs/render.md ("Start-up and speed"):
//
// 1. Keep the Pulumi SDK's closure serializer out of a render. `@pulumi/pulumi/runtime/index.js`
//    requires `runtime/closure/serializeClosure` and `runtime/closure/codePaths` eagerly, and they pull
//    in `typescript` (the whole compiler) and `@npmcli/arborist` (with pacote, sigstore, tar...): about
//    three quarters of the SDK's load time. They serve `pulumi.runtime.serializeFunction` and
//    `computeCodePaths` (dynamic providers, function serialization), which socle never calls. Node's
//    documented module cache (`require.cache`: "adding or replacing entries is also possible") lets us
//    put a forwarding module under each file's name: every export stays callable, and the real module
//    (with TypeScript) is loaded on the first call. Nothing in node_modules is modified. A real
//    `pulumi up` runs the program through the SDK's own runner, which never loads this file.
//
// 2. Load the npm dependencies a run needs before tsx registers: once tsx's hooks are installed, every
//    `require` of a CommonJS file goes through its TypeScript-aware resolver and its ESM lexer (about
//    twice the CPU for node_modules). socle's own TypeScript is loaded through tsx afterwards.
"use strict";
const Module = require("node:module");
const { dirname, join } = require("node:path");

/** Exports of the deferred SDK modules (checked against the real modules by test/render/preload.test.ts). */
const DEFERRED = {
  "runtime/closure/serializeClosure.js": ["serializeFunction", "serializeFunctionAsync"],
  "runtime/closure/codePaths.js": ["computeCodePaths", "findWorkspaceRoot"],
};

/** The SDK's package folder, as any `require("@pulumi/pulumi")` from this checkout resolves it. */
function sdkDir() {
  return dirname(require.resolve("@pulumi/pulumi/package.json"));
}

/**
 * Puts a forwarding module in `require.cache` for each deferred SDK file, unless it is already loaded.
 * Returns the files deferred.
 */
function deferClosureSerializer() {
  const deferred = [];
  for (const [rel, names] of Object.entries(DEFERRED)) {
    const filename = join(sdkDir(), rel);
    if (require.cache[filename]) continue;
    const stub = new Module(filename, module);
    stub.filename = filename;
    stub.paths = Module._nodeModulePaths(dirname(filename));
    stub.loaded = true;
    let real;
    const load = () => {
      if (!real) {
        if (require.cache[filename] === stub) delete require.cache[filename];
        real = require(filename);
      }
      return real;
    };
    Object.defineProperty(stub.exports, "__esModule", { value: true });
    for (const name of names) {
      stub.exports[name] = function deferred(...args) {
        return load()[name].apply(this, args);
      };
    }
    require.cache[filename] = stub;
    deferred.push(filename);
  }
  return deferred;
}

/** npm packages a render imports statically (src/program, components, charts, src/render). */
const RENDER_PACKAGES = [
  "@pulumi/pulumi",
  "@pulumi/kubernetes",
  "@pulumi/openstack",
  "@pulumi/random",
  "@pulumi/tls",
  "cdk8s",
  "cdk8s-plus-33",
  "commander",
  "yaml",
  "zod",
];

/** npm packages an audit of a file imports (src/audit, src/report, policies). */
const AUDIT_PACKAGES = ["commander", "yaml", "zod"];

function preload(packages) {
  for (const p of packages) require(p);
}

/** Prepares the process for `socle render` (and `socle audit <stack>`, which renders first). */
function prepareRender() {
  deferClosureSerializer();
  preload(RENDER_PACKAGES);
}

/** Prepares the process for `socle audit <file>`: no SDK, no render engine. */
function prepareAudit() {
  preload(AUDIT_PACKAGES);
}

module.exports = { DEFERRED, deferClosureSerializer, prepareRender, prepareAudit, RENDER_PACKAGES, AUDIT_PACKAGES };
