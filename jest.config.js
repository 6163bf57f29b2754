/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  // One jest file loading every *.spec.ts (see helpers/specs.ts): one module registry, run in band.
  // __tests__/integration needs terraform: npm run test:terraform runs it.
  testMatch: ["<rootDir>/__tests__/*.test.ts"],
  // Transpile only, with esbuild: `npm test` type-checks once with tsc.
  transform: { "^.+\\.ts$": "<rootDir>/__tests__/helpers/transform.js" },
  // No ARCHIVE asset here: skip loading archiver in every test file (see the stub).
  moduleNameMapper: {
    "^archiver$": "<rootDir>/__tests__/helpers/archiver-stub.js",
    // cdktf's token creation stacks, as in the app bundle (scripts/token-stack-trace.js): recorded
    // only with NODE_OPTIONS=--enable-source-maps. (constructs' own ./private/stack-trace, for
    // metadata that Testing.app never asks a stack of, has the same name and is mapped too.)
    "^\\.{1,2}/(tokens/)?(private/)?stack-trace$": "<rootDir>/scripts/token-stack-trace.js",
  },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
