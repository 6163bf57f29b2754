// The floor app for `npm run bench`: the shape `cdktf init --template=typescript` generates
// (one stack, run by ts-node, which type-checks on every synth) with one aws_vpc. It uses the
// same deep imports as the project, so the comparison measures the runner and the project's
// size, not the provider barrel import.
import { Construct } from "constructs";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";

class MyStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "ap-northeast-1" });
    new Vpc(this, "vpc", { cidrBlock: "10.0.0.0/16" });
  }
}

const app = new App();
new MyStack(app, "floor");
app.synth();
