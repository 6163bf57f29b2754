import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, IAspect, TerraformDataSource, TerraformElement, TerraformResource, TerraformStack } from "cdktf";
import { Construct, IConstruct, Node } from "constructs";
import { addBackend } from "./backend";
import { Config } from "../config/schema";
import { providerSettings, StackAccount } from "./provider-settings";
import { stackDefaultTags } from "./tags";

export type { StackAccount } from "./provider-settings";

/** The Terraform versions the stacks run on: check blocks and import blocks need 1.5 (a backend may need more). */
export const REQUIRED_TERRAFORM = ">= 1.5.0";

export interface AccountStackProps {
  /** The validated configuration of the whole project. */
  readonly config: Config;
  /** The account this stack deploys into. */
  readonly account: StackAccount;
}

/**
 * What every stack shares: the Terraform versions it runs on, one aliased AWS provider pinned to the stack's account (every resource
 * and data source of the stack uses it), default tags, the configured state backend, and
 * readable resource addresses.
 */
export class AccountStack extends TerraformStack {
  /** The stack's AWS provider, `allowed_account_ids` set to the configured account. */
  readonly provider: AwsProvider;

  constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id);
    const { config, account } = props;
    this.provider = new AwsProvider(this, "aws", {
      ...providerSettings(config, account, id),
      defaultTags: [{ tags: stackDefaultTags(config, id) }],
    });
    const backendNeeds = addBackend(this, config, account);
    // Check blocks and import blocks (and S3 native locking): whichever Terraform plans the stack (a laptop's, a workspace's) is checked.
    this.requireTerraform(backendNeeds ?? REQUIRED_TERRAFORM);
    Aspects.of(this).add(new UseStackProvider(this.provider));
  }

  private requiredTerraform = "0.0.0";

  /** Raises the stack's `required_version` to `>= minimum` (a `>= x.y.z` constraint) when it asks for less. */
  requireTerraform(minimum: string): void {
    const version = (constraint: string) => (/(\d+)\.(\d+)\.(\d+)/.exec(constraint) ?? []).slice(1).map(Number);
    const [wanted, current] = [version(minimum), version(this.requiredTerraform)];
    const higher = wanted.findIndex((part, i) => part !== current[i]);
    if (higher === -1 || wanted[higher] < current[higher]) return;
    this.requiredTerraform = minimum.replace(/^>=\s*/, "");
    this.addOverride("terraform.required_version", `>= ${this.requiredTerraform}`);
  }

  /**
   * Resource addresses are read in pull requests and kept in state: `<construct>_<child>` in place
   * of cdktf's default `<construct>_<child>_<HASH>`. Construct ids are kebab-case, so joining them
   * with `_` cannot collide.
   */
  allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const components = node.scopes.slice(node.scopes.indexOf(this) + 1).map((scope) => scope.node.id);
    return components.length > 1 ? components.join("_") : super.allocateLogicalId(element);
  }
}

/** Gives every AWS resource and data source of a stack the stack's aliased provider. */
class UseStackProvider implements IAspect {
  constructor(private readonly provider: AwsProvider) {}

  visit(node: IConstruct): void {
    if ((node instanceof TerraformResource || node instanceof TerraformDataSource) && !node.provider && node.terraformResourceType.startsWith("aws_")) {
      node.provider = this.provider;
    }
  }
}
