import * as ipaddr from "ipaddr.js";

/**
 * An IPv4 or IPv6 range as IAM's IP address operators read it: a CIDR block, or a single address
 * (a `/32`, or `/128` for IPv6). Addresses are numbers, so that containment, overlap and halving
 * are arithmetic and the same for both families.
 */
export interface IpRange {
  /** 4 or 6. */
  readonly family: 4 | 6;
  /** The first (network) address of the block, as a number. */
  readonly first: bigint;
  /** The prefix length: 0–32 for IPv4, 0–128 for IPv6. */
  readonly prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

/**
 * Parses `203.0.113.0/24`, `2001:DB8:1234:5678::/64` or a single address, which IAM reads with
 * the default prefix `/32` (IAM User Guide, "Condition operators", IP address condition operators;
 * `/128` for IPv6). A block written with host bits set (`10.0.0.5/16`) is read as its network
 * (`10.0.0.0/16`), as a CIDR match would. Returns `undefined` for anything else, including
 * ipaddr.js's legacy IPv4 forms (`10.1`, `010.0.0.1`), which no AWS API accepts.
 */
export function parseIpRange(text: string): IpRange | undefined {
  const [address, prefixText, ...rest] = text.split("/");
  if (rest.length > 0) return undefined;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) parsed = ipaddr.IPv4.parse(address);
  else if (ipaddr.IPv6.isValid(address)) parsed = ipaddr.IPv6.parse(address);
  else return undefined;
  const family = parsed.kind() === "ipv4" ? 4 : 6;
  const bits = BITS[family];
  if (prefixText !== undefined && !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  const value = parsed.toByteArray().reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
  return { family, first: value & mask(family, prefix), prefix };
}

/** `10.0.0.0/16`, `2001:db8::/64`: the canonical text of a range. */
export function formatIpRange(range: IpRange): string {
  const bytes: number[] = [];
  for (let n = range.first, i = 0; i < BITS[range.family] / 8; i++, n >>= 8n) bytes.unshift(Number(n & 0xffn));
  return `${ipaddr.fromByteArray(bytes).toString()}/${range.prefix}`;
}

/** Whether every address of `inner` is in `outer`. */
export function rangeContains(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.prefix <= inner.prefix && (inner.first & mask(outer.family, outer.prefix)) === outer.first;
}

/** Whether two ranges share at least one address (CIDR blocks either nest or are disjoint). */
export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return rangeContains(a, b) || rangeContains(b, a);
}

/** The two blocks of one more prefix bit that make up `range` (which must be wider than one address). */
export function halves(range: IpRange): [IpRange, IpRange] {
  const bits = BITS[range.family];
  if (range.prefix >= bits) throw new Error(`${formatIpRange(range)} is a single address and has no halves`);
  const prefix = range.prefix + 1;
  return [
    { family: range.family, first: range.first, prefix },
    { family: range.family, first: range.first + (1n << BigInt(bits - prefix)), prefix },
  ];
}

/**
 * How much of `block` the union of `ranges` holds: `all` of it, `none` of it, or `some`. Exact:
 * a range that partly overlaps `block` lies strictly inside it (blocks nest), so splitting `block`
 * in halves until each half is inside or outside every range always ends.
 */
export function coverage(block: IpRange, ranges: readonly IpRange[]): "all" | "none" | "some" {
  if (ranges.some((range) => rangeContains(range, block))) return "all";
  const inside = ranges.filter((range) => rangeContains(block, range));
  if (inside.length === 0) return "none";
  const [low, high] = halves(block);
  const [a, b] = [coverage(low, inside), coverage(high, inside)];
  return a === b ? a : "some";
}

function mask(family: 4 | 6, prefix: number): bigint {
  const bits = BITS[family];
  return ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
}
