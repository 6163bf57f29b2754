/**
 * `npm run setup:terraform`: writes the Terraform CLI configuration the project's scripts use
 * (the local hashicorp/aws mirror when there is one, the public registry otherwise) and prints
 * how to use it from a shell, for `cdktf deploy` and plain `terraform` alike.
 */
import { exitWith, optionsOrUsage, parseArgs } from "../lib/cli/command-line";
import { setUpTerraform } from "../lib/terraform/cli";

export const SETUP_TERRAFORM_USAGE = `usage: npm run setup:terraform

Writes the Terraform CLI configuration that every command of the project runs terraform with
(node_modules/.cache/terraform/terraform.tfrc): hashicorp/aws from a local filesystem mirror when
there is one (/opt/tf-plugins, ~/.terraform.d/plugins, TF_PROVIDER_MIRROR), from the public
registry otherwise, and a shared plugin cache. Prints the export that makes your shell use it.
Takes no arguments.

  -h, --help  this text

Exit code: 0 written, 2 could not (usage).`;

/** `npm run setup:terraform`'s options (none), or the run that ends it first (--help, a usage error). */
export const setupTerraformCommandLine = (argv: string[]) => optionsOrUsage("setup:terraform", SETUP_TERRAFORM_USAGE, argv, (args) => ({ help: parseArgs(args, []).help }));

if (require.main === module) {
  const options = setupTerraformCommandLine(process.argv.slice(2));
  if ("code" in options) exitWith(options);
  const { mirror, cliConfigFile } = setUpTerraform();
  console.log(`hashicorp/aws comes from ${mirror ? `the filesystem mirror ${mirror}` : "the public registry"}.`);
  console.log(`To use the same settings in your shell: export TF_CLI_CONFIG_FILE=${cliConfigFile} CHECKPOINT_DISABLE=1`);
}
