import { loadConfigOrExit } from "./lib/config/load-config";
import { synthesize } from "./stacks/app";

synthesize(loadConfigOrExit());
