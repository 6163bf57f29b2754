// Jest transform: TypeScript to CommonJS with esbuild, without type-checking (`npm test` runs
// `tsc` once for the whole project). Faster to start than ts-jest, which loads the compiler in
// every worker.
const { transformSync } = require("esbuild");

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: "ts",
      format: "cjs",
      target: "node20",
      sourcemap: "external",
      sourcefile: filename,
    });
    return { code, map };
  },
};
