import { App } from "cdktf";
import { loadConfigOrExit } from "./lib/config/load-config";
import { addStacks } from "./stacks/app";

const config = loadConfigOrExit();
const app = new App();
addStacks(app, config);
app.synth();
