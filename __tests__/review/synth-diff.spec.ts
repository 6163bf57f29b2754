import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { formatSynthDiff, synthDiff } from "../../lib/review/synth-diff";
import { synthProject } from "../helpers/project";
import { config } from "../helpers/example";

/** A directory laid out like cdktf.out holding `stacks`. */
function outdir(stacks: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "synth-diff-"));
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(path.join(dir, "stacks", name), { recursive: true });
    writeFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
  }
  return dir;
}

describe("what a pull request changes in the synthesized stacks", () => {
  const base = synthProject(config());
  const head = synthProject(config({ api: { stageName: "v2" } }));

  test("each stack's addresses added, changed and removed; cdktf's metadata does not count", () => {
    const withConsumer = { ...head.stacks, "consumer-new": head.a };
    const [a, b, added] = synthDiff(outdir({ "account-a": base.a, "account-b": base.b }), outdir(withConsumer));
    expect(b).toMatchObject({ stack: "account-b", status: "changed", added: [], removed: [] });
    expect(b.changed).toEqual(expect.arrayContaining(["aws_api_gateway_stage.rest-api_stage", "aws_cloudwatch_log_group.rest-api_access-logs"]));
    expect(a.changed).toEqual(expect.arrayContaining(["output.invoke_url"]));
    expect(added).toEqual({ stack: "consumer-new", status: "added", added: expect.any(Array), removed: [], changed: [] });
  });

  test("as Markdown for the pull request: a line per changed stack, its addresses in a diff block", () => {
    const text = formatSynthDiff(synthDiff(outdir({ "account-b": base.b }), outdir({ "account-b": head.b })), { base: "config/prod.json", head: "config/prod.json" });
    expect(text).toMatch(/^### Synthesized stacks \(config\/prod\.json\): 1 of 1 changed\n\n- `account-b`: 0 added, \d+ changed, 0 removed\n\n {2}```diff\n/);
    expect(text).toContain("    ~ aws_api_gateway_stage.rest-api_stage\n");
    expect(formatSynthDiff(synthDiff(outdir({ "account-b": base.b }), outdir({ "account-b": base.b })), { base: "config/example.json", head: "config/example.json" })).toBe("### Synthesized stacks (config/example.json): no change\n\n");
  });
});

describe("synth-diff names the API of each address that belongs to one", () => {
  test("an API added to apis: its resources in B and its zone in a consumer say which API", () => {
    const { formatSynthDiff } = require("../../lib/review/synth-diff");
    const text = formatSynthDiff(
      [
        { stack: "account-b", status: "changed", added: ["aws_api_gateway_rest_api.api-orders_api", "aws_vpc.network_vpc"], changed: [], removed: [] },
        { stack: "account-a", status: "changed", added: ["aws_route53_zone.api-dns-orders_zone"], changed: ["aws_route53_zone.api-dns_zone"], removed: [] },
      ],
      { base: "config/example.json", head: "config/example.json" },
    );
    expect(text).toContain("    + aws_api_gateway_rest_api.api-orders_api (API orders)\n");
    expect(text).toContain("    + aws_vpc.network_vpc\n");
    expect(text).toContain("    + aws_route53_zone.api-dns-orders_zone (API orders)\n");
    expect(text).toContain("    ~ aws_route53_zone.api-dns_zone\n");
  });
});
