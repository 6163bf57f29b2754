import { loadConfigOrExit, resolveConfigFile } from "./lib/config/load-config";

const config = loadConfigOrExit();
// Loaded once the configuration is valid: a bad one is reported without loading cdktf.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { synthesize } = require("./stacks/app") as typeof import("./stacks/app");
synthesize(config, { configFile: resolveConfigFile() });
