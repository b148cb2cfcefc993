import ipaddr from "ipaddr.js";
import { type Intervals, subtractIntervals } from "./intervals";

/** The highest IPv4 address as a number. */
export const IPV4_MAX = 0xffffffff;

/** Every IPv4 address. */
export const ALL_IPV4: Intervals = [0, IPV4_MAX];

/** A parsed CIDR: its IPv4 range, or a note that it is IPv6 (not analysed). */
export type ParsedCidr = { readonly family: "ipv4"; readonly range: readonly [number, number] } | { readonly family: "ipv6" };

/**
 * Parses "10.0.0.0/8" (or a bare address, when `allowBareAddress`, meaning /32) with ipaddr.js.
 * Host bits below the prefix are ignored, as the Kubernetes API does. Returns an error text on bad input.
 */
export function parseCidr(text: string, allowBareAddress = false): ParsedCidr | string {
    // The same few CIDRs recur in every namespace's policies; parse each once.
    const key = `${allowBareAddress ? "bare" : "cidr"}|${text}`;
    let parsed = parsedCidrs.get(key);
    if (parsed === undefined) {
        parsed = parseCidrUncached(text, allowBareAddress);
        parsedCidrs.set(key, parsed);
    }
    return parsed;
}

const parsedCidrs = new Map<string, ParsedCidr | string>();

function parseCidrUncached(text: string, allowBareAddress: boolean): ParsedCidr | string {
    const trimmed = text.trim();
    let address: ipaddr.IPv4 | ipaddr.IPv6;
    let prefix: number;
    try {
        if (trimmed.includes("/")) {
            [address, prefix] = ipaddr.parseCIDR(trimmed);
        } else if (allowBareAddress && ipaddr.isValid(trimmed)) {
            address = ipaddr.parse(trimmed);
            prefix = address.kind() === "ipv4" ? 32 : 128;
        } else {
            return `invalid CIDR ${JSON.stringify(text)}: expected an address and prefix like 10.0.0.0/8`;
        }
    } catch {
        return `invalid CIDR ${JSON.stringify(text)}: expected an address and prefix like 10.0.0.0/8`;
    }
    if (address.kind() === "ipv6") {
        const v6 = address as ipaddr.IPv6;
        if (!v6.isIPv4MappedAddress()) return { family: "ipv6" };
        address = v6.toIPv4Address();
        prefix = Math.max(0, prefix - 96);
    }
    if (address.kind() === "ipv4" && !ipaddr.IPv4.isValidFourPartDecimal(trimmed.split("/")[0]!) && !trimmed.includes(":")) {
        return `invalid CIDR ${JSON.stringify(text)}: expected a dotted IPv4 address like 10.0.0.0`;
    }
    const bytes = address.toByteArray();
    const value = ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
    const size = 2 ** (32 - prefix);
    const start = value - (value % size);
    return { family: "ipv4", range: [start, start + size - 1] };
}

/** Parses a single IPv4 address into its number, or undefined. */
export function parseIPv4(text: string): number | undefined {
    if (!ipaddr.IPv4.isValidFourPartDecimal(text.trim())) return undefined;
    const bytes = ipaddr.IPv4.parse(text.trim()).toByteArray();
    return ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
}

/** Renders an IPv4 number as dotted decimal. */
export function ipv4Text(value: number): string {
    return `${Math.floor(value / 16777216) % 256}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

/** The prefix length when [start, end] is exactly one CIDR block, else undefined. */
export function cidrPrefix(start: number, end: number): number | undefined {
    // A block has a power-of-two size and starts at a multiple of it (plain arithmetic: sizes reach 2^32).
    const size = end - start + 1;
    const prefix = 32 - Math.log2(size);
    return size > 0 && Number.isInteger(prefix) && start % size === 0 ? prefix : undefined;
}

/**
 * Renders an address range the way users write it (the External entity name): one address as "a.b.c.d",
 * an exact CIDR block as "a.b.c.d/n", anything else as "a.b.c.d-e.f.g.h".
 */
export function rangeText(start: number, end: number): string {
    if (start === end) return ipv4Text(start);
    const prefix = cidrPrefix(start, end);
    return prefix === undefined ? `${ipv4Text(start)}-${ipv4Text(end)}` : `${ipv4Text(start)}/${prefix}`;
}

/**
 * Splits the IPv4 space into disjoint ranges at every boundary of the given sets, so that each piece is
 * either wholly inside or wholly outside each set. Returns the piece starts (the first is 0); piece i
 * ends where piece i+1 starts, minus one.
 */
export function splitAddressSpace(sets: readonly Intervals[]): number[] {
    const boundaries = new Set<number>([0]);
    for (const set of sets) {
        for (let i = 0; i < set.length; i += 2) {
            boundaries.add(set[i]!);
            if (set[i + 1]! < IPV4_MAX) boundaries.add(set[i + 1]! + 1);
        }
    }
    return [...boundaries].sort((a, b) => a - b);
}

/** Index of the piece holding `address`, given sorted piece starts. */
export function pieceIndex(starts: readonly number[], address: number): number {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
        const middle = (lo + hi + 1) >> 1;
        if (starts[middle]! <= address) lo = middle;
        else hi = middle - 1;
    }
    return lo;
}

/**
 * Where a public AKS API server can be: every public IPv4 address. Public means outside the IANA IPv4
 * special-purpose registry (RFC 6890 and successors: this network, private, shared, loopback, link-local,
 * IETF protocol assignments, documentation, 6to4 relay, benchmarking, multicast, reserved, read 2026-12-01)
 * and outside Azure's platform address 168.63.129.16, which is never an API server (Azure docs, "What is IP
 * address 168.63.129.16"). The real address is unknown offline: an Allow covering all of these surely reaches "the
 * public API server", one covering some of them possibly does ("uncertain", evaluate.ts coversSomePublicAddress).
 */
export const PUBLIC_API_SERVER_ADDRESSES: Intervals = publicApiServerAddresses();

function publicApiServerAddresses(): Intervals {
    const notPublic = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4", "168.63.129.16/32",
    ];
    let addresses: Intervals = ALL_IPV4;
    for (const text of notPublic) {
        const parsed = parseCidr(text) as { range: readonly [number, number] };
        addresses = subtractIntervals(addresses, [parsed.range[0], parsed.range[1]]);
    }
    return addresses;
}
