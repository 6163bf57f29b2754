import * as path from "path";
import { loadSpecs } from "./helpers/specs";

loadSpecs(path.join(__dirname, "stacks"));
