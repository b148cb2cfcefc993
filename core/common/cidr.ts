import * as ipaddr from "ipaddr.js";

/** An IPv4 block parsed from CIDR notation, with its first and last address as integers. */
export interface Ipv4Block {
    /** The text as written, e.g. `10.0.0.0/16`. */
    readonly cidr: string;
    /** Prefix length, 0..32. */
    readonly prefix: number;
    /** First address of the block as an unsigned 32-bit integer. */
    readonly first: number;
    /** Last address of the block as an unsigned 32-bit integer. */
    readonly last: number;
}

/** Why a string is not an acceptable IPv4 CIDR, or undefined when it is. */
export function cidrProblem(text: string): string | undefined {
    if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
        return `expected an IPv4 CIDR such as 10.0.0.0/16, got "${text}"`;
    }
    const network = ipaddr.IPv4.networkAddressFromCIDR(text).toString();
    const [address, prefix] = text.split("/");
    if (network !== address) {
        return `"${text}" has host bits set; the network address is ${network}/${prefix}`;
    }
    return undefined;
}

/** Parses a canonical IPv4 CIDR; call `cidrProblem` first for a readable error. */
export function parseIpv4Block(text: string): Ipv4Block {
    const problem = cidrProblem(text);
    if (problem) {
        throw new Error(problem);
    }
    const [address, prefix] = ipaddr.IPv4.parseCIDR(text);
    const first = ipv4ToNumber(address.toString());
    const size = 2 ** (32 - prefix);
    return { cidr: text, prefix, first, last: first + size - 1 };
}

/** Whether a string is a dotted-quad IPv4 address. */
export function isIpv4Address(text: string): boolean {
    return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/** The integer value of a dotted-quad IPv4 address. */
export function ipv4ToNumber(address: string): number {
    return ipaddr.IPv4.parse(address).toByteArray().reduce((value, octet) => value * 256 + octet, 0);
}

/** The dotted-quad form of an unsigned 32-bit integer. */
export function numberToIpv4(value: number): string {
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256);
    return octets.join(".");
}

/** Whether two blocks share at least one address. */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
    return a.first <= b.last && b.first <= a.last;
}

/** Whether `inner` lies entirely inside `outer`. */
export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
    return outer.first <= inner.first && inner.last <= outer.last;
}

/** Whether an address (integer) lies inside a block. */
export function containsAddress(block: Ipv4Block, address: number): boolean {
    return block.first <= address && address <= block.last;
}

/** Number of addresses in a block. */
export function blockSize(block: Ipv4Block): number {
    return block.last - block.first + 1;
}
