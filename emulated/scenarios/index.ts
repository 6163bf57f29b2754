import { Scenario } from "../scenario";
import { cloudWatchRoleTakenScenario } from "./cloudwatch-role-taken";
import { dayTwoScenario } from "./day-two";
import { fidelityScenario } from "./fidelity";
import { isolationScenario } from "./isolation";
import { manyConsumersScenario } from "./many-consumers";
import { permissionsScenario } from "./permissions";
import { rolloutScenario } from "./rollout";
import { strayRequestScenario } from "./stray-request";

/** Every emulated scenario, in the order `--list` shows them. */
export const SCENARIOS: Scenario[] = [
  rolloutScenario,
  manyConsumersScenario,
  cloudWatchRoleTakenScenario,
  strayRequestScenario,
  dayTwoScenario,
  fidelityScenario,
  isolationScenario,
  permissionsScenario,
];
