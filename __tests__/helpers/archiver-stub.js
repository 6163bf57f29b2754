// cdktf loads archiver (about 60 modules) at start-up for TerraformAsset zips. This project has no
// assets, so jest maps archiver here: each test file then loads far less. Used only by tests.
module.exports = () => {
  throw new Error("archiver is stubbed in jest (__tests__/helpers/archiver-stub.js): this project has no TerraformAsset");
};
