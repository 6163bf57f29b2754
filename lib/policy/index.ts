// The IAM policy evaluator for calls to a private REST API through an interface endpoint, one
// concern per file: document (parse, validate), conditions (operators), patterns (wildcards),
// ip-ranges (CIDR arithmetic), evaluate (one policy), api-gateway (endpoint + resource policy),
// admits (a whole source range). Callers import from here.
export { admits, type Admission, type AdmitsQuery, type RangeVerdict } from "./admits";
export {
  DEFAULT_ENDPOINT_POLICY,
  apiGatewayPrivateInvoke,
  executeApiArn,
  expandExecuteApiShorthand,
  invokeRequest,
  type ExecuteApiArnInput,
  type InvokeRequestInput,
  type PrivateApiPolicies,
  type PrivateInvokeDecision,
} from "./api-gateway";
export { evaluateClause, evaluateConditions, parseConditionOperator, type ClauseResult, type ConditionClause, type ConditionOperator, type RequestContext } from "./conditions";
export { Policy, PolicyDocumentError, parsePolicy, type ParseOptions, type PolicyInput, type Statement } from "./document";
export { evaluatePolicy, type Decision, type EvaluateOptions, type PolicyEvaluation, type PolicyRequest, type RequestPrincipal, type StatementOutcome } from "./evaluate";
export { formatIpRange, parseIpRange, type IpRange } from "./ip-ranges";
