/** A stack's synthesized Terraform JSON. */
export interface TerraformJson {
  terraform: Record<string, any>;
  provider: Record<string, any[]>;
  resource: Record<string, Record<string, any>>;
  data: Record<string, Record<string, any>>;
  output: Record<string, any>;
  variable: Record<string, any>;
  locals?: Record<string, any>;
  removed?: { from: string; lifecycle: { destroy: boolean } }[];
}

/** The only resource of `type` in `json` (fails the test when there is not exactly one). */
export function only(json: TerraformJson, type: string, kind: "resource" | "data" = "resource"): any {
  const found = Object.values(json[kind]?.[type] ?? {});
  if (found.length !== 1) throw new Error(`expected exactly one ${kind} ${type}, found ${found.length}`);
  return found[0];
}

/** All resources of `type` in `json`, by logical name. */
export function all(json: TerraformJson, type: string, kind: "resource" | "data" = "resource"): Record<string, any> {
  return json[kind]?.[type] ?? {};
}
