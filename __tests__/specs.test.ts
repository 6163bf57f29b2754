import { loadSpecs } from "./helpers/specs";

loadSpecs();
