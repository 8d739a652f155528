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
//
// 3. For a render, load socle's own TypeScript without tsx's hooks (`registerTypeScript`): each file is
//    compiled by the compiler tsx runs (esbuild, resolved from tsx's own dependencies), with tsx's options
//    for CommonJS, once per source text; the JavaScript is kept in a cache folder, under a hash of
//    everything that decides it (source, file name, esbuild version, options, tsconfig). The per-file work
//    tsx does besides (its resolver, its ESM lexer on every file, its cache look-up) is left out, and
//    nothing else: an edited source gets a new hash, hence a fresh compilation. Tests keep running the
//    TypeScript through vitest, other commands through tsx.
//
// 4. For a render, compile the npm dependencies with V8's code cache (`useCodeCache`): the cached data V8
//    produced for each file on an earlier run, checked by V8 against the source.
"use strict";
const Module = require("node:module");
const { createHash } = require("node:crypto");
const { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { dirname, join, sep } = require("node:path");
const vm = require("node:vm");
const v8 = require("node:v8");

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
 * Zod's locales, which `zod` loads eagerly (v4/classic/external.cjs and v4/core/index.cjs export them as
 * `locales`: 63 modules, about 20 ms) and socle never uses: its messages are its own, and zod's default
 * English messages come from v4/locales/en.cjs, which zod requires directly. Every export is a function
 * (checked with DEFERRED by test/cli/startup.test.ts).
 */
const DEFERRED_ZOD = {
  "v4/locales/index.cjs": ["ar", "az", "be", "bg", "bn", "ca", "ckb", "cs", "da", "de", "el", "en", "eo", "es", "fa", "fi", "fr", "frCA", "gu", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja", "ka", "kh", "km", "kn", "ko", "lt", "mk", "ms", "ne", "nl", "nn", "no", "ota", "ps", "pl", "pt", "ptBR", "ro", "ru", "sk", "sl", "sv", "ta", "tg", "th", "tk", "tr", "ua", "uk", "ur", "uz", "vi", "zhCN", "zhTW", "yo"],
};

/** A package's folder, as any `require(pkg)` from this checkout resolves it. */
function packageDir(pkg) {
  return dirname(require.resolve(`${pkg}/package.json`));
}

/**
 * Puts a forwarding module in `require.cache` under `filename`, unless it is already loaded: each of
 * `names` is a function that loads the real module on its first call and calls its namesake.
 */
function deferModule(filename, names) {
  if (require.cache[filename]) return false;
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
  return true;
}

/** Puts a forwarding module in `require.cache` for each deferred SDK file. Returns the files deferred. */
function deferClosureSerializer() {
  const deferred = [];
  for (const [rel, names] of Object.entries(DEFERRED)) {
    const filename = join(sdkDir(), rel);
    if (deferModule(filename, names)) deferred.push(filename);
  }
  return deferred;
}

/** Puts a forwarding module in `require.cache` for zod's locales. Returns the files deferred. */
function deferZodLocales() {
  const deferred = [];
  for (const [rel, names] of Object.entries(DEFERRED_ZOD)) {
    const filename = join(packageDir("zod"), rel);
    if (deferModule(filename, names)) deferred.push(filename);
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
  "cdk8s-plus-33/lib/imports/k8s",
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
  deferZodLocales();
  preload(RENDER_PACKAGES);
}

/** Prepares the process for `socle audit <file>`: no SDK, no render engine. */
function prepareAudit() {
  deferZodLocales();
  preload(AUDIT_PACKAGES);
}

/** Where compiled sources are kept: per user, beside tsx's own cache (`<tmpdir>/tsx-<uid>`). */
function typeScriptCacheDir() {
  const uid = typeof process.getuid === "function" ? process.getuid() : "user";
  return process.env.SOCLE_TS_CACHE || join(tmpdir(), `socle-ts-${uid}`);
}

/**
 * The cache folder, created private to this user; undefined (no cache: every file compiled in memory)
 * when it cannot be created or is not this user's alone, since whatever it holds is run as code.
 */
function privateDir(dir) {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    const mine = typeof process.getuid !== "function" || st.uid === process.getuid();
    if (!(st.isDirectory() && mine && (st.mode & 0o022) === 0)) return undefined;
    pruneCache(dir);
    return dir;
  } catch {
    return undefined;
  }
}

/** Names of what this cache writes, and nothing else: compiled sources, V8 code caches, their partial writes. */
const CACHE_ENTRY = /^(?:[0-9a-f]{64}\.js|v8-[0-9a-f]{64}\.bin)(?:\.\d+\.tmp)?$/;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Entries older than this are removed (a file still in use is compiled again once, then kept another 30 days). */
const CACHE_MAX_AGE_MS = 30 * DAY_MS;
/** Partial writes of a process that died are removed after a day. */
const PARTIAL_MAX_AGE_MS = DAY_MS;
const PRUNE_STAMP = ".pruned";
const pruned = new Set();

/**
 * Keeps the cache from growing without end: every edited source leaves an entry, and every checkout of socle
 * its own code caches. At most once a day (the modification time of `.pruned` in the folder), removes the
 * entries this cache wrote (names matching CACHE_ENTRY, nothing else) whose modification time is older than
 * 30 days, and partial writes older than a day. Never fails the run: the cache is an optimisation.
 */
function pruneCache(dir, now = Date.now()) {
  if (pruned.has(dir)) return;
  pruned.add(dir);
  const stamp = join(dir, PRUNE_STAMP);
  try {
    if (now - statSync(stamp).mtimeMs < DAY_MS) return;
  } catch {
    // no stamp yet: prune now
  }
  try {
    writeFileSync(stamp, "", { mode: 0o600 });
    for (const name of readdirSync(dir)) {
      if (!CACHE_ENTRY.test(name)) continue;
      const file = join(dir, name);
      try {
        const age = now - statSync(file).mtimeMs;
        if (age > (name.endsWith(".tmp") ? PARTIAL_MAX_AGE_MS : CACHE_MAX_AGE_MS)) unlinkSync(file);
      } catch {
        // gone meanwhile, or not ours to remove: left as it is
      }
    }
  } catch {
    // a folder that cannot be listed or stamped is left as it is
  }
}

/**
 * esbuild's options for one file: those tsx passes for a CommonJS file (tsx/dist/register-*.cjs,
 * `transformSync`: target `node<version>`, loader from the extension, format `cjs`, platform `node`,
 * `keepNames`, `minifyWhitespace`, a source map, the tsconfig), the map inlined as tsx inlines it.
 */
function compileOptions(filename, tsconfigRaw) {
  return {
    target: `node${process.versions.node}`,
    loader: filename.endsWith(".tsx") ? "tsx" : "ts",
    format: "cjs",
    platform: "node",
    keepNames: true,
    minifyWhitespace: true,
    sourcemap: "inline",
    sourcefile: filename,
    tsconfigRaw,
  };
}

/**
 * Loads `.ts` files compiled once per source text (point 3 above). Returns false, and registers nothing,
 * when esbuild cannot be loaded: the caller then registers tsx. `root` is the socle checkout (tsconfig.json).
 */
function registerTypeScript(root) {
  // esbuild itself is loaded on the first compilation only: with every file in the cache, not at all.
  let esbuildPath, esbuildVersion, esbuild;
  try {
    esbuildPath = require.resolve("esbuild", { paths: [dirname(require.resolve("tsx/package.json"))] });
    esbuildVersion = JSON.parse(readFileSync(join(dirname(esbuildPath), "..", "package.json"), "utf8")).version;
  } catch {
    return false;
  }
  if (typeof esbuildVersion !== "string") return false;
  let tsconfigRaw;
  try {
    tsconfigRaw = { compilerOptions: JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8")).compilerOptions ?? {} };
  } catch {
    return false;
  }
  const dir = privateDir(typeScriptCacheDir());
  const salt = JSON.stringify([esbuildVersion, process.versions.node, tsconfigRaw]);
  const compile = (module, filename) => {
    const source = readFileSync(filename, "utf8");
    const key = createHash("sha256").update(salt).update("\0").update(filename).update("\0").update(source).digest("hex");
    const cached = dir && join(dir, `${key}.js`);
    let code;
    try {
      if (!cached) throw new Error("no cache");
      code = readFileSync(cached, "utf8");
    } catch {
      esbuild ??= require(esbuildPath);
      code = esbuild.transformSync(source, compileOptions(filename, tsconfigRaw)).code;
      if (cached) {
        try {
          const partial = `${cached}.${process.pid}.tmp`;
          writeFileSync(partial, code, { mode: 0o600 });
          renameSync(partial, cached);
        } catch {
          // A cache that cannot be written costs a compilation next time, nothing else.
        }
      }
    }
    module._compile(code, filename);
  };
  require.extensions[".ts"] = compile;
  // As tsx does: errors show TypeScript positions (the compiled files carry their source maps).
  process.setSourceMapsEnabled(true);
  return true;
}

/**
 * V8's code cache for the npm dependencies of a render (point 4 above): each CommonJS file under
 * node_modules is compiled through `vm.Script` (documented) with the cached data V8 produced for it on an
 * earlier run, kept in the same private folder as the compiled TypeScript, under a hash of the file's name
 * and of V8's version and flags (`v8.cachedDataVersionTag()`). V8 checks the data against the source and
 * rejects what does not match (`cachedDataRejected`): the file is then compiled as usual and its data
 * written again at exit, after the run compiled its lazy functions (`script.createCachedData()`). The
 * module runs in the wrapper Node itself gives CommonJS files, with a `require` made of documented parts
 * (`requireOf`). A file that may use dynamic `import()` (its text holds `import(`:
 * a script compiled from cached data loses the callback that resolves it, ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING,
 * and the option that would give it one is experimental and warns), a hashbang, or a file this cannot
 * compile (ESM syntax) goes to Node's own loader, which says what it says. Returns false, and hooks nothing,
 * without a private cache folder, or with SOCLE_NO_CODE_CACHE set.
 */
const DYNAMIC_IMPORT = /\bimport\s*\(/;

/**
 * The `require` a CommonJS module gets, from documented parts: `module.require` (so the module is the parent
 * of what it loads, as with Node's own), the shared `require.cache` and `require.main`, and `resolve` (with
 * `resolve.paths`) from `Module.createRequire`, made on first use only.
 */
function requireOf(module, filename) {
  const req = (id) => module.require(id);
  let made;
  const created = () => (made ??= Module.createRequire(filename));
  req.resolve = (request, options) => created().resolve(request, options);
  req.resolve.paths = (request) => created().resolve.paths(request);
  req.cache = require.cache;
  req.main = require.main;
  req.extensions = require.extensions;
  return req;
}

function useCodeCache() {
  if (process.env.SOCLE_NO_CODE_CACHE) return false;
  const dir = privateDir(typeScriptCacheDir());
  if (!dir) return false;
  const tag = `${process.versions.v8}\0${v8.cachedDataVersionTag()}`;
  const nodeLoader = require.extensions[".js"];
  const stale = [];
  require.extensions[".js"] = function (module, filename) {
    if (!filename.includes(`${sep}node_modules${sep}`)) return nodeLoader(module, filename);
    let content;
    try {
      content = readFileSync(filename, "utf8");
    } catch {
      return nodeLoader(module, filename);
    }
    if (content.startsWith("#!") || DYNAMIC_IMPORT.test(content)) return nodeLoader(module, filename);
    const file = join(dir, `v8-${createHash("sha256").update(tag).update("\0").update(filename).digest("hex")}.bin`);
    let cachedData;
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    let script;
    try {
      script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${content}\n});`, {
        filename,
        ...(cachedData ? { cachedData } : {}),
      });
    } catch {
      return nodeLoader(module, filename);
    }
    if (!cachedData || script.cachedDataRejected) stale.push({ script, file });
    const wrapper = script.runInThisContext({ displayErrors: true });
    wrapper.call(module.exports, module.exports, requireOf(module, filename), module, filename, dirname(filename));
  };
  process.once("exit", () => {
    for (const { script, file } of stale) {
      try {
        const partial = `${file}.${process.pid}.tmp`;
        writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
        renameSync(partial, file);
      } catch {
        // A cache that cannot be written costs a compilation next time, nothing else.
      }
    }
  });
  return true;
}

module.exports = { useCodeCache, DEFERRED, DEFERRED_ZOD, deferClosureSerializer, deferZodLocales, prepareRender, prepareAudit, pruneCache, registerTypeScript, typeScriptCacheDir, RENDER_PACKAGES, AUDIT_PACKAGES };
