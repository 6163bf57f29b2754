/** IPv4 arithmetic the twin needs: addresses as numbers, CIDR blocks, containment. */

/** `a.b.c.d` as a 32-bit number. @throws when it is not a dotted IPv4 address */
export function toNumber(address: string): number {
  const parts = address.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new Error(`not an IPv4 address: ${JSON.stringify(address)}`);
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function toAddress(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** A CIDR block: its first address, its size, its prefix length. */
export interface Block {
  readonly base: number;
  readonly size: number;
  readonly prefix: number;
}

export function block(cidr: string): Block {
  const [address, bits] = cidr.split("/");
  const prefix = Number(bits ?? 32);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`not an IPv4 CIDR: ${JSON.stringify(cidr)}`);
  const size = 2 ** (32 - prefix);
  return { base: Math.floor(toNumber(address) / size) * size, size, prefix };
}

export function contains(cidr: string, address: string): boolean {
  const b = block(cidr);
  const n = toNumber(address);
  return n >= b.base && n < b.base + b.size;
}

/** The address `offset` from the start of the block (negative: from its end, -1 the last). */
export function nth(cidr: string, offset: number): string {
  const b = block(cidr);
  return toAddress(offset >= 0 ? b.base + offset : b.base + b.size + offset);
}
