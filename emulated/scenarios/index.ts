import { Scenario } from "../scenario";
import { cloudWatchRoleTakenScenario } from "./cloudwatch-role-taken";
import { fidelityScenario } from "./fidelity";
import { isolationScenario } from "./isolation";
import { manyConsumersScenario } from "./many-consumers";
import { ownApisScenario } from "./own-apis";
import { permissionsScenario } from "./permissions";
import { rolloutScenario } from "./rollout";
import { strayRequestScenario } from "./stray-request";
import { upgradeScenario } from "./upgrade";

/** Every emulated scenario, in the order `--list` shows them. */
export const SCENARIOS: Scenario[] = [
  rolloutScenario,
  manyConsumersScenario,
  ownApisScenario,
  upgradeScenario,
  cloudWatchRoleTakenScenario,
  strayRequestScenario,
  fidelityScenario,
  isolationScenario,
  permissionsScenario,
];
