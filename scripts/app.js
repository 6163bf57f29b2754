#!/usr/bin/env node
// The `app` of cdktf.json: runs main.ts as one esbuild bundle, built once per change of the
// sources and kept in node_modules/.cache/app. Loading one file instead of cdktf's and the
// provider's few hundred modules, and without the transpile-on-require of tsx, makes a synth about
// three times faster and smaller (numbers in docs/speed.md). Type-checking is `npm run
// typecheck`, as before; this runs the same TypeScript, transpiled by esbuild as jest does.
"use strict";
const { createHash } = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..");

const USAGE = `usage: npm run synth

Synthesizes every stack of the configuration into cdktf.out/stacks/<stack>/cdk.tf.json, as
cdktf synth does (this is its app command, node scripts/app.js). CONFIG_FILE names the
configuration (relative to the directory you run npm in; default config/example.json),
CDKTF_OUTDIR the output directory. Takes no arguments.

  -h, --help  this text

Exit code: 0 written, 2 could not (usage; the configuration: one line per problem, nothing written).`;

// Answered before the bundle is loaded (or built): --help synthesizes nothing. cdktf runs the app
// without arguments. The same rules as lib/cli/command-line.ts, which this plain script cannot load.
const argv = process.argv.slice(2);
const unknown = argv.find((arg) => arg !== "--help" && arg !== "-h");
if (unknown !== undefined) {
  process.stderr.write(`synth: unknown ${unknown.startsWith("-") ? "option" : "argument"} ${JSON.stringify(unknown)}; ${USAGE.split("\n")[0]}\n`);
  process.exit(2);
}
if (argv.length) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const CACHE = path.join(ROOT, "node_modules/.cache/app");
/** Everything the bundle is built from: a change to any of it builds a new one. */
const INPUTS = ["main.ts", "lib", "stacks", "package-lock.json", "tsconfig.json", "scripts/app.js", "scripts/lazy-archiver.js", "scripts/token-stack-trace.js"];

function files(relative) {
  const full = path.join(ROOT, relative);
  if (!fs.statSync(full).isDirectory()) return [relative];
  return fs.readdirSync(full).sort().flatMap((name) => files(path.join(relative, name)));
}

function sourceHash() {
  const hash = createHash("sha256");
  // The bundle may carry this checkout's paths (in its source map only); keep one per checkout.
  hash.update(ROOT);
  for (const file of INPUTS.flatMap(files)) hash.update(`${file}\0`).update(fs.readFileSync(path.join(ROOT, file))).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/**
 * Modules of the bundle replaced by the project's stand-ins: `alias` for a package, this plugin for
 * a module that cdktf requires by a relative path (tokens/private/stack-trace.js).
 */
const standIns = {
  name: "stand-ins",
  setup(esbuild) {
    esbuild.onResolve({ filter: /(^|\/)stack-trace$/ }, (args) =>
      /node_modules[\\/]cdktf[\\/]lib[\\/]/.test(args.importer) ? { path: path.join(ROOT, "scripts/token-stack-trace.js") } : undefined,
    );
  },
};

async function build(outfile) {
  fs.mkdirSync(CACHE, { recursive: true });
  const partial = `${outfile}.${process.pid}.tmp`;
  await require("esbuild").build({
    entryPoints: [path.join(ROOT, "main.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: partial,
    sourcemap: "linked",
    // cdktf loads archiver at start-up for directory assets, which this project never archives.
    alias: { archiver: path.join(ROOT, "scripts/lazy-archiver.js") },
    plugins: [standIns],
    logLevel: "error",
  });
  fs.renameSync(`${partial}.map`, `${outfile}.map`);
  // Renamed last and atomically: two synths at once (the Terraform tests run two) never read half a file.
  const map = path.basename(`${outfile}.map`);
  fs.writeFileSync(partial, fs.readFileSync(partial, "utf8").replace(/sourceMappingURL=\S+/, `sourceMappingURL=${map}`));
  fs.renameSync(partial, outfile);
  for (const old of fs.readdirSync(CACHE)) {
    if (!outfile.endsWith(old) && !`${outfile}.map`.endsWith(old) && !old.includes(".tmp")) fs.rmSync(path.join(CACHE, old), { force: true });
  }
}

const bundle = path.join(CACHE, `main-${sourceHash()}.js`);
// The source map is written but not loaded: parsing it would double the synth time. To see
// TypeScript lines in a stack trace, run with NODE_OPTIONS=--enable-source-maps.
if (fs.existsSync(bundle)) require(bundle);
else {
  build(bundle).then(
    () => require(bundle),
    (error) => {
      process.stderr.write(`scripts/app.js: could not build the app bundle: ${error.message}\n`);
      process.exit(1);
    },
  );
}
