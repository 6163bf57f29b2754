import { loadSpecGroup } from "./helpers/specs";

loadSpecGroup("modules");
