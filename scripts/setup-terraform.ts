/**
 * `npm run setup:terraform`: writes the Terraform CLI configuration the project's scripts use
 * (the local hashicorp/aws mirror when there is one, the public registry otherwise) and prints
 * how to use it from a shell, for `cdktf deploy` and plain `terraform` alike.
 */
import { setUpTerraform } from "../lib/terraform/cli";

const { mirror, cliConfigFile } = setUpTerraform();
console.log(`hashicorp/aws comes from ${mirror ? `the filesystem mirror ${mirror}` : "the public registry"}.`);
console.log(`To use the same settings in your shell: export TF_CLI_CONFIG_FILE=${cliConfigFile} CHECKPOINT_DISABLE=1`);
