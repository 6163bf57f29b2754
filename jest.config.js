/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  // One jest file per folder, each loading that folder's *.spec.ts (see helpers/specs.ts).
  testMatch: ["<rootDir>/__tests__/*.test.ts"],
  // Both cores: jest's default (cores - 1) would run the files one by one here.
  maxWorkers: 2,
  // Transpile only, with esbuild: `npm test` type-checks once with tsc.
  transform: { "^.+\\.ts$": "<rootDir>/__tests__/helpers/transform.js" },
  // No TerraformAsset here: skip loading archiver in every test file (see the stub).
  moduleNameMapper: { "^archiver$": "<rootDir>/__tests__/helpers/archiver-stub.js" },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
