import { hclExpression } from "../../lib/terraform/hcl";

describe("hclExpression", () => {
  test("writes strings, numbers, booleans, lists and maps as HCL reads them", () => {
    expect(hclExpression({ dns: "the zone", "a-b": ["x", 1, true], skipped: undefined })).toBe('{ "dns" = "the zone", "a-b" = ["x", 1, true] }');
  });

  test("escapes quotes, and keeps ${ and %{ as text rather than templates", () => {
    expect(hclExpression('say "hi" to ${var.x} and %{ if }')).toBe('"say \\"hi\\" to $${var.x} and %%{ if }"');
  });

  test("refuses what has no HCL literal", () => {
    expect(() => hclExpression(null)).toThrow("cannot write null as HCL");
  });
});
