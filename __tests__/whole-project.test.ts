import { loadSpecGroup } from "./helpers/specs";

loadSpecGroup("whole-project");
