/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Both cores: jest's default (cores - 1) would run the files one by one here.
  maxWorkers: 2,
  // Transpile only, with esbuild: `npm test` type-checks once with tsc.
  transform: { "^.+\\.ts$": "<rootDir>/__tests__/helpers/transform.js" },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
