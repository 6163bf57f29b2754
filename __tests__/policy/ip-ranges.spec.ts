import { IpRange, coverage, formatIpRange, halves, parseIpRange, rangeContains, rangesOverlap } from "../../lib/policy/ip-ranges";

const range = (text: string): IpRange => {
  const parsed = parseIpRange(text);
  if (!parsed) throw new Error(`not a range: ${text}`);
  return parsed;
};

it.each([
  // IAM User Guide, "Condition operators": "203.0.113.0/24 or 2001:DB8:1234:5678::/64", and a
  // bare address takes "the default prefix value of /32".
  ["203.0.113.0/24", "203.0.113.0/24"],
  ["2001:DB8:1234:5678::/64", "2001:db8:1234:5678::/64"],
  ["10.0.0.5", "10.0.0.5/32"],
  ["2001:db8::1", "2001:db8::1/128"],
  ["10.0.0.5/16", "10.0.0.0/16"],
  ["0.0.0.0/0", "0.0.0.0/0"],
])("GIVEN %s WHEN parsed THEN it is the range %s", (text, canonical) => {
  expect(formatIpRange(range(text))).toBe(canonical);
});

it.each(["10.0.0.0/33", "2001:db8::/129", "10.1", "010.0.0.1", "10.0.0.0/016", "10.0.0.0/", "10.0.0.0/8/8", "vpce-0abc", ""])(
  "GIVEN %j WHEN parsed THEN it is not an IP range",
  (text) => {
    expect(parseIpRange(text)).toBeUndefined();
  },
);

it.each([
  ["10.0.0.0/8", "10.0.0.0/16", true],
  ["10.0.0.0/16", "10.0.0.0/16", true],
  ["10.0.0.0/16", "10.0.0.5", true],
  ["10.0.0.0/16", "10.0.0.0/8", false],
  ["10.0.0.0/16", "10.1.0.0/16", false],
  ["0.0.0.0/0", "2001:db8::/64", false],
])("GIVEN %s and %s THEN the first holds every address of the second: %s", (outer, inner, expected) => {
  expect(rangeContains(range(outer), range(inner))).toBe(expected);
});

it("GIVEN nested and disjoint blocks THEN only the nested ones overlap, whichever comes first", () => {
  expect(rangesOverlap(range("10.0.0.0/16"), range("10.0.128.0/17"))).toBe(true);
  expect(rangesOverlap(range("10.0.128.0/17"), range("10.0.0.0/16"))).toBe(true);
  expect(rangesOverlap(range("10.0.0.0/16"), range("172.31.0.0/16"))).toBe(false);
});

it("GIVEN a block WHEN halved THEN the halves are its two blocks of one more prefix bit", () => {
  expect(halves(range("10.0.0.0/16")).map(formatIpRange)).toEqual(["10.0.0.0/17", "10.0.128.0/17"]);
  expect(halves(range("2001:db8::/32")).map(formatIpRange)).toEqual(["2001:db8::/33", "2001:db8:8000::/33"]);
  expect(() => halves(range("10.0.0.5"))).toThrow("10.0.0.5/32 is a single address and has no halves");
});

it.each([
  ["10.0.0.0/16", ["10.0.0.0/8"], "all"],
  ["10.0.0.0/16", ["10.0.0.0/17", "10.0.128.0/17"], "all"],
  ["10.0.0.0/16", ["10.0.0.0/17"], "some"],
  ["10.0.0.0/16", ["10.0.5.7"], "some"],
  ["10.0.0.0/16", ["10.1.0.0/16", "172.31.0.0/16"], "none"],
  ["10.0.0.0/16", [], "none"],
])("GIVEN %s and the ranges %j THEN their union holds %s of it", (block, ranges, expected) => {
  expect(coverage(range(block), ranges.map(range))).toBe(expected);
});
