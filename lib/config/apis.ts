import { readFileSync } from "fs";
import * as path from "path";
import { LineCounter, parseDocument } from "yaml";

/** What the canary and the doctor call on an API to prove the path. */
export interface ApiProbe {
  /** The resource path, such as `/pets` (the stage is added). */
  readonly path: string;
  readonly method: string;
  readonly expectStatus: number;
  /** The whole body that counts as success, surrounding whitespace ignored. @default - any body */
  readonly expectBody?: string;
}

interface ApiCommon {
  /** The API's name in this project: addresses (`api-<name>`), outputs, canary methods. */
  readonly name: string;
  readonly stageName: string;
  readonly probe: ApiProbe;
  /** Where the configuration describes it, for messages: `apis.0`, or `api` for the PetStore. */
  readonly setting: string;
}

/** The article's PetStore, created by B's stack on mock integrations: the default when `apis` is not set. */
export interface PetStoreApi extends ApiCommon {
  readonly kind: "petstore";
}

/** An API B's stack creates from an OpenAPI 3 definition. */
export interface OpenApiApi extends ApiCommon {
  readonly kind: "openapi";
  /** The definition as B's stack sends it (`body`): JSON, keys in the file's order. */
  readonly body: string;
  /** The file, as the configuration names it. */
  readonly file: string;
}

/** A private REST API in account B that something else manages. */
export interface ExistingApi extends ApiCommon {
  readonly kind: "existing";
  readonly restApiId: string;
  /** Whether B's stack attaches its resource policy (replacing the owner's), or the owner keeps its own. */
  readonly resourcePolicy: "owner" | "attach";
}

/** One API every consumer reaches through B's endpoint. */
export type ApiDefinition = PetStoreApi | OpenApiApi | ExistingApi;

/** The article's PetStore list, byte for byte what `GET /pets` answers. */
export const PETS = [
  { id: 1, type: "dog", price: 249.99 },
  { id: 2, type: "cat", price: 124.99 },
  { id: 3, type: "fish", price: 0.99 },
];

/** The PetStore's probe: `GET /pets`, answering the article's list. */
export const PETSTORE_PROBE: ApiProbe = { path: "/pets", method: "GET", expectStatus: 200, expectBody: JSON.stringify(PETS) };

/**
 * The APIs of a validated configuration, each definition read: the configured `apis`, or the
 * PetStore (`api.name`, `api.stageName`). OpenAPI files are relative to `baseDir` (the
 * configuration file's directory).
 * @throws ApiDefinitionError with every problem of every file
 */
export function resolveApis(config: { api: { name: string; stageName: string }; apis?: readonly any[] }, baseDir: string): ApiDefinition[] {
  if (!config.apis) return [{ kind: "petstore", name: config.api.name, stageName: config.api.stageName, probe: PETSTORE_PROBE, setting: "api" }];
  const problems: string[] = [];
  const apis = config.apis.map((api, i): ApiDefinition | undefined => {
    const setting = `apis.${i}`;
    const common = { name: api.name, stageName: api.stageName, probe: api.probe as ApiProbe, setting };
    if ("restApiId" in api) return { ...common, kind: "existing", restApiId: api.restApiId, resourcePolicy: api.resourcePolicy };
    try {
      return { ...common, kind: "openapi", file: api.openApi, body: readOpenApi(api.openApi, baseDir, setting, api.probe) };
    } catch (error) {
      if (!(error instanceof ApiDefinitionError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  });
  if (problems.length) throw new ApiDefinitionError(problems);
  return apis as ApiDefinition[];
}

/** Integration types B's stack deploys (x-amazon-apigateway-integration `type`), lower case as OpenAPI files write them too. */
const INTEGRATION_TYPES = ["mock", "http", "http_proxy", "aws", "aws_proxy"];
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method"];

/** An OpenAPI file that cannot be deployed: each problem names the file and, where it can, the line. */
export class ApiDefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

/**
 * Reads and checks one OpenAPI 3 file (JSON or YAML, `file` relative to `baseDir`) for an API of
 * `setting`, and that `probe` is a method it defines.
 * @returns the definition as JSON, keys in the file's order
 * @throws ApiDefinitionError naming the file, the line and what is wrong
 */
export function readOpenApi(file: string, baseDir: string, setting: string, probe: ApiProbe): string {
  const where = `${setting}.openApi "${file}"`;
  let text: string;
  try {
    text = readFileSync(path.resolve(baseDir, file), "utf8").replace(/^\uFEFF/, "");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new ApiDefinitionError([`${where}: cannot read ${path.resolve(baseDir, file)} (${reason}); expected an OpenAPI 3 file, relative to the configuration file`]);
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length) {
    throw new ApiDefinitionError(document.errors.slice(0, 5).map((e) => {
      const at = lines.linePos(e.pos[0]);
      return `${where}: line ${at.line}, column ${at.col}: ${e.message.split("\n")[0]}; expected JSON or YAML`;
    }));
  }
  const spec = document.toJS({ maxAliasCount: 100 }) as Record<string, any>;
  const lineOf = (keys: (string | number)[]) => {
    const node = document.getIn(keys, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? ` (line ${lines.linePos(node.range[0]).line})` : "";
  };
  const problems: string[] = [];
  if (!spec || typeof spec !== "object" || Array.isArray(spec)) throw new ApiDefinitionError([`${where}: not an object; expected an OpenAPI 3 document`]);
  if (typeof spec.openapi !== "string" || !/^3\./.test(spec.openapi)) {
    problems.push(`${where}: "openapi" is ${JSON.stringify(spec.openapi ?? null)}${lineOf(["openapi"])}; expected "3.0.1" or another 3.x version (API Gateway imports OpenAPI 3 here; convert a Swagger 2 file)`);
  }
  const paths = spec.paths && typeof spec.paths === "object" ? (spec.paths as Record<string, any>) : {};
  if (Object.keys(paths).length === 0) problems.push(`${where}: no paths; expected at least one path with a method`);
  if (spec["x-amazon-apigateway-policy"] !== undefined) {
    problems.push(`${where}: x-amazon-apigateway-policy${lineOf(["x-amazon-apigateway-policy"])} would be replaced: B's stack attaches the resource policy (its endpoint and the allowed CIDRs); remove it from the file`);
  }
  const types = spec["x-amazon-apigateway-endpoint-configuration"]?.types;
  if (Array.isArray(types) && types.some((t: unknown) => t !== "PRIVATE")) {
    problems.push(`${where}: x-amazon-apigateway-endpoint-configuration types ${JSON.stringify(types)}${lineOf(["x-amazon-apigateway-endpoint-configuration"])}; the API is PRIVATE, reached through B's endpoint: remove the extension or set ["PRIVATE"]`);
  }
  for (const [route, item] of Object.entries(paths)) {
    if (!route.startsWith("/")) problems.push(`${where}: path "${route}"${lineOf(["paths", route])} does not start with "/"`);
    const methods = Object.keys(item ?? {}).filter((m) => HTTP_METHODS.includes(m.toLowerCase()));
    if (methods.length === 0) problems.push(`${where}: path "${route}"${lineOf(["paths", route])} has no method; expected get, post, ... or x-amazon-apigateway-any-method`);
    for (const method of methods) {
      const integration = item[method]?.["x-amazon-apigateway-integration"];
      const at = `${where}: ${method.toUpperCase()} ${route}${lineOf(["paths", route, method])}`;
      if (!integration || typeof integration !== "object") {
        problems.push(`${at} has no x-amazon-apigateway-integration; API Gateway cannot deploy a method without one (a MOCK integration answers without a backend)`);
        continue;
      }
      const type = String(integration.type ?? "").toLowerCase();
      if (!INTEGRATION_TYPES.includes(type)) {
        problems.push(`${at}: integration type ${JSON.stringify(integration.type ?? null)}; expected one of ${INTEGRATION_TYPES.map((t) => t.toUpperCase()).join(", ")}`);
      } else if (type !== "mock" && !integration.uri) {
        problems.push(`${at}: a ${type.toUpperCase()} integration needs a uri`);
      }
      if (String(integration.connectionType ?? "").toUpperCase() === "VPC_LINK" && !integration.connectionId) {
        problems.push(`${at}: a VPC_LINK integration needs connectionId (the project creates no VPC link)`);
      }
    }
  }
  if (problems.length === 0 && !definesProbe(paths, probe)) {
    const defined = Object.entries(paths).flatMap(([route, item]) => Object.keys(item ?? {}).filter((m) => HTTP_METHODS.includes(m.toLowerCase())).map((m) => `${m === "x-amazon-apigateway-any-method" ? "ANY" : m.toUpperCase()} ${route}`));
    problems.push(`${setting}.probe: ${probe.method} ${probe.path} is not a method of ${file}; expected one it defines: ${defined.slice(0, 10).join(", ")}${defined.length > 10 ? ", ..." : ""}`);
  }
  if (problems.length) throw new ApiDefinitionError(problems);
  return JSON.stringify(spec);
}

/** Whether `paths` defines `probe.method` on a path template that `probe.path` matches (`/pets/{id}` matches `/pets/1`). */
export function definesProbe(paths: Record<string, any>, probe: Pick<ApiProbe, "path" | "method">): boolean {
  const requested = probe.path.split("?")[0].replace(/\/$/, "") || "/";
  return Object.entries(paths).some(([route, item]) => {
    const pattern = new RegExp(`^${route.replace(/\/$/, "").split("/").map((part) => (/^\{[^}]+\+\}$/.test(part) ? ".+" : /^\{[^}]+\}$/.test(part) ? "[^/]+" : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))).join("/") || "/"}$`);
    if (!pattern.test(requested)) return false;
    const methods = Object.keys(item ?? {}).map((m) => m.toLowerCase());
    return methods.includes(probe.method.toLowerCase()) || methods.includes("x-amazon-apigateway-any-method");
  });
}
