import { cidrContains, cidrSubnet, cidrsOverlap, parseIpv4Cidr } from "../../lib/config/cidr";

const block = (cidr: string) => {
  const parsed = parseIpv4Cidr(cidr);
  if (!parsed) throw new Error(`not a CIDR: ${cidr}`);
  return parsed;
};

describe("parseIpv4Cidr", () => {
  test.each(["10.0.0.0/16", "172.31.0.0/16", "192.168.1.0/28", "0.0.0.0/0", "10.1.2.3/32"])("accepts %s", (cidr) => {
    expect(parseIpv4Cidr(cidr)).toBeDefined();
  });
  test.each(["10.0.0.1/16", "10.0/16", "010.0.0.0/16", "10.0.0.0/33", "10.0.0.0", "256.0.0.0/8", "fd00::/8", " 10.0.0.0/16"])("refuses %j", (cidr) => {
    expect(parseIpv4Cidr(cidr)).toBeUndefined();
  });
});

describe("cidrsOverlap", () => {
  test.each([
    ["10.0.0.0/16", "10.0.128.0/17", true],
    ["10.0.128.0/17", "10.0.0.0/16", true],
    ["10.0.0.0/16", "10.0.0.0/16", true],
    ["10.0.0.0/16", "10.1.0.0/16", false],
    ["10.0.0.0/16", "172.31.0.0/16", false],
    ["192.168.0.0/28", "192.168.0.16/28", false],
  ])("%s and %s: %s", (a, b, expected) => {
    expect(cidrsOverlap(block(a), block(b))).toBe(expected);
  });
});

describe("cidrContains", () => {
  test.each([
    ["10.0.0.0/8", "10.0.0.0/16", true],
    ["10.0.0.0/16", "10.0.0.0/16", true],
    ["10.0.0.0/16", "10.0.0.0/8", false],
    ["10.0.0.0/17", "10.0.0.0/16", false],
    ["172.31.0.0/16", "10.0.0.0/16", false],
  ])("%s holds %s: %s", (outer, inner, expected) => {
    expect(cidrContains(block(outer), block(inner))).toBe(expected);
  });
});

describe("cidrSubnet", () => {
  test("numbers subnets like Terraform's cidrsubnet", () => {
    expect(cidrSubnet(block("10.0.0.0/16"), 4, 0)).toBe("10.0.0.0/20");
    expect(cidrSubnet(block("10.0.0.0/16"), 4, 1)).toBe("10.0.16.0/20");
    expect(cidrSubnet(block("172.31.0.0/16"), 4, 15)).toBe("172.31.240.0/20");
    expect(cidrSubnet(block("192.168.0.0/27"), 1, 1)).toBe("192.168.0.16/28");
  });
});
