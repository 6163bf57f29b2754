import { keptOnDestroy, forgetKeptResources } from "../../lib/deploy/kept-on-destroy";
import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { synthProject } from "../helpers/project";

test("a destroy keeps account-b's imported API Gateway account setting and nothing else", () => {
  const { a, b } = synthProject();
  expect(keptOnDestroy(b)).toEqual(["aws_api_gateway_account.apigateway-cloudwatch_current"]);
  expect(keptOnDestroy(a)).toEqual([]);
});

test("before a destroy, the kept resources the state holds are forgotten, the others left alone", () => {
  // GIVEN account-b's synthesized stack, deployed (its state holds the setting), and account-a
  const outdir = mkdtempSync(path.join(tmpdir(), "kept-"));
  const { a, b } = synthProject();
  for (const [stack, json] of [["account-b", b], ["account-a", a]] as const) {
    mkdirSync(path.join(outdir, "stacks", stack), { recursive: true });
    writeFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), JSON.stringify(json));
  }
  const calls: string[] = [];
  const terraform = (args: string[], cwd: string) => {
    calls.push(`${path.basename(cwd)}: terraform ${args.join(" ")}`);
    const stdout = args[1] === "list" ? "aws_api_gateway_account.apigateway-cloudwatch_current\naws_vpc.network_vpc\n" : "";
    return { code: 0, stdout, output: stdout };
  };
  // WHEN the destroy prepares
  const { forgotten, problems } = forgetKeptResources(outdir, ["account-b", "account-a"], terraform);
  // THEN only B's setting is forgotten (no API call), and account-a is not even read
  expect(calls).toEqual([
    "account-b: terraform init -input=false -no-color",
    "account-b: terraform state list",
    "account-b: terraform state rm aws_api_gateway_account.apigateway-cloudwatch_current",
  ]);
  expect(forgotten).toEqual(["account-b: aws_api_gateway_account.apigateway-cloudwatch_current (kept: the project only reads it)"]);
  expect(problems).toEqual([]);
});
