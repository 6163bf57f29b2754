// cdktf loads archiver (about 60 modules) at start-up, for TerraformAssets of type ARCHIVE. This
// project has none (the canary's zip is built by lib/deterministic-zip.ts and added as a FILE), so
// jest maps archiver here and each test file loads far less. Used only by tests.
module.exports = () => {
  throw new Error("archiver is stubbed in jest (__tests__/helpers/archiver-stub.js): this project builds no ARCHIVE asset");
};
