import * as ipaddr from "ipaddr.js";

/** An IPv4 CIDR block as ipaddr.js parses it: network address and prefix length. */
export type Ipv4Block = [ipaddr.IPv4, number];

const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
// ipaddr.js also takes the legacy forms `10.1/16` and `010.0.0.0/16`; AWS only takes dotted quads.
const DOTTED_QUAD_CIDR = new RegExp(`^${OCTET}(\\.${OCTET}){3}/(3[0-2]|[12]?\\d)$`);

/**
 * Parses `a.b.c.d/n`. Returns `undefined` for anything that is not an IPv4 CIDR whose address is
 * its network address (AWS rejects `10.0.0.1/16` for a VPC or a subnet, so we do too).
 */
export function parseIpv4Cidr(cidr: string): Ipv4Block | undefined {
  // A configuration's CIDRs are checked against each other, and ipaddr.js parses slowly (tens of
  // microseconds): each text is parsed once. The blocks are never changed, so they can be shared.
  if (!parsed.has(cidr)) parsed.set(cidr, parse(cidr));
  return parsed.get(cidr);
}

const parsed = new Map<string, Ipv4Block | undefined>();

function parse(cidr: string): Ipv4Block | undefined {
  if (!DOTTED_QUAD_CIDR.test(cidr)) return undefined;
  const block = ipaddr.IPv4.parseCIDR(cidr);
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr);
  return network.toString() === block[0].toString() ? block : undefined;
}

/** Whether two IPv4 CIDR blocks share at least one address. */
export function cidrsOverlap(a: Ipv4Block, b: Ipv4Block): boolean {
  return a[0].match(b) || b[0].match(a);
}

/** Whether every address of `inner` is in `outer`. */
export function cidrContains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return outer[1] <= inner[1] && inner[0].match(outer);
}

/** The `index`-th block of `prefix + newBits` inside `block`, like Terraform's `cidrsubnet`. */
export function cidrSubnet([network, prefix]: Ipv4Block, newBits: number, index: number): string {
  const subnetPrefix = prefix + newBits;
  const base = network.octets.reduce((n, octet) => n * 256 + octet, 0);
  const start = base + index * 2 ** (32 - subnetPrefix);
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
  return `${ipaddr.fromByteArray(octets).toString()}/${subnetPrefix}`;
}
