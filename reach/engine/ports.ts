import {
    type Intervals,
    NO_INTERVALS,
    equalIntervals,
    intersectIntervals,
    intervalsOf,
    subtractIntervals,
    unionIntervals,
} from "./intervals";

/** The protocols that carry ports. */
export type PortProtocol = "TCP" | "UDP" | "SCTP";

/** Port protocols in output order. */
export const PORT_PROTOCOLS: readonly PortProtocol[] = ["TCP", "UDP", "SCTP"];


const ALL_PORTS: Intervals = [1, 65535];
// Every IP protocol number except TCP (6), UDP (17) and SCTP (132), which are tracked with their ports.
const ALL_OTHER: Intervals = [0, 5, 7, 16, 18, 131, 133, 255];
const OTHER_NAMES: ReadonlyMap<number, string> = new Map([
    [1, "ICMP"],
    [58, "ICMPv6"],
    [136, "UDPLite"],
]);

/**
 * A set of allowed traffic: per port protocol (TCP, UDP, SCTP) a set of destination ports 1-65535, plus a
 * set of other IP protocol numbers (ICMP = 1, ...) that have no ports. Immutable; operations return new sets.
 */
export class ConnectionSet {
    /** Everything: all ports of every protocol. */
    static readonly ALL = new ConnectionSet(ALL_PORTS, ALL_PORTS, ALL_PORTS, ALL_OTHER);
    /** Nothing. */
    static readonly NONE = new ConnectionSet(NO_INTERVALS, NO_INTERVALS, NO_INTERVALS, NO_INTERVALS);
    /** Every protocol that has no ports (everything but TCP, UDP and SCTP). */
    static readonly OTHER = new ConnectionSet(NO_INTERVALS, NO_INTERVALS, NO_INTERVALS, ALL_OTHER);

    private cachedKey?: string;

    private constructor(
        /** TCP destination ports. */
        readonly tcp: Intervals,
        /** UDP destination ports. */
        readonly udp: Intervals,
        /** SCTP destination ports. */
        readonly sctp: Intervals,
        /** Other protocol numbers (never 6, 17 or 132). */
        readonly other: Intervals,
    ) {}

    private static of(tcp: Intervals, udp: Intervals, sctp: Intervals, other: Intervals): ConnectionSet {
        if (tcp.length === 0 && udp.length === 0 && sctp.length === 0 && other.length === 0) return ConnectionSet.NONE;
        const result = new ConnectionSet(tcp, udp, sctp, other);
        return result.isAll() ? ConnectionSet.ALL : result;
    }

    /** Ports `from`-`to` (inclusive) of one protocol. */
    static ports(protocol: PortProtocol, from: number, to = from): ConnectionSet {
        const range = intervalsOf([[Math.max(from, 1), Math.min(to, 65535)]]);
        return ConnectionSet.of(
            protocol === "TCP" ? range : NO_INTERVALS,
            protocol === "UDP" ? range : NO_INTERVALS,
            protocol === "SCTP" ? range : NO_INTERVALS,
            NO_INTERVALS,
        );
    }

    /** Every port of one port protocol. */
    static protocol(protocol: PortProtocol): ConnectionSet {
        return ConnectionSet.ports(protocol, 1, 65535);
    }

    /** A whole IP protocol by number (6, 17 and 132 mean every port of TCP, UDP, SCTP). */
    static protocolNumber(number: number): ConnectionSet {
        if (number === 6) return ConnectionSet.protocol("TCP");
        if (number === 17) return ConnectionSet.protocol("UDP");
        if (number === 132) return ConnectionSet.protocol("SCTP");
        return ConnectionSet.of(NO_INTERVALS, NO_INTERVALS, NO_INTERVALS, intersectIntervals([number, number], ALL_OTHER));
    }

    /** Ports of one protocol from an interval set. */
    static fromIntervals(protocol: PortProtocol, ports: Intervals): ConnectionSet {
        const clipped = intersectIntervals(ports, ALL_PORTS);
        return ConnectionSet.of(
            protocol === "TCP" ? clipped : NO_INTERVALS,
            protocol === "UDP" ? clipped : NO_INTERVALS,
            protocol === "SCTP" ? clipped : NO_INTERVALS,
            NO_INTERVALS,
        );
    }

    /** Ports of one protocol as an interval set. */
    portsOf(protocol: PortProtocol): Intervals {
        return protocol === "TCP" ? this.tcp : protocol === "UDP" ? this.udp : this.sctp;
    }

    /** True when nothing is allowed. */
    isEmpty(): boolean {
        return this === ConnectionSet.NONE || (this.tcp.length === 0 && this.udp.length === 0 && this.sctp.length === 0 && this.other.length === 0);
    }

    /** True when everything is allowed. */
    isAll(): boolean {
        return (
            this === ConnectionSet.ALL ||
            (equalIntervals(this.tcp, ALL_PORTS) &&
                equalIntervals(this.udp, ALL_PORTS) &&
                equalIntervals(this.sctp, ALL_PORTS) &&
                equalIntervals(this.other, ALL_OTHER))
        );
    }

    /** Traffic in either set. */
    union(other: ConnectionSet): ConnectionSet {
        if (this.isEmpty() || other === ConnectionSet.ALL) return other;
        if (other.isEmpty() || this === ConnectionSet.ALL) return this;
        return ConnectionSet.of(
            unionIntervals(this.tcp, other.tcp),
            unionIntervals(this.udp, other.udp),
            unionIntervals(this.sctp, other.sctp),
            unionIntervals(this.other, other.other),
        );
    }

    /** Traffic in both sets. */
    intersect(other: ConnectionSet): ConnectionSet {
        if (this === ConnectionSet.ALL) return other;
        if (other === ConnectionSet.ALL) return this;
        if (this.isEmpty() || other.isEmpty()) return ConnectionSet.NONE;
        return ConnectionSet.of(
            intersectIntervals(this.tcp, other.tcp),
            intersectIntervals(this.udp, other.udp),
            intersectIntervals(this.sctp, other.sctp),
            intersectIntervals(this.other, other.other),
        );
    }

    /** Traffic in this set but not in `other`. */
    subtract(other: ConnectionSet): ConnectionSet {
        if (this.isEmpty() || other.isEmpty()) return this;
        if (other === ConnectionSet.ALL) return ConnectionSet.NONE;
        return ConnectionSet.of(
            subtractIntervals(this.tcp, other.tcp),
            subtractIntervals(this.udp, other.udp),
            subtractIntervals(this.sctp, other.sctp),
            subtractIntervals(this.other, other.other),
        );
    }

    /** True when every bit of `other` is in this set. */
    covers(other: ConnectionSet): boolean {
        return other.subtract(this).isEmpty();
    }

    /** True when both sets allow the same traffic. */
    equals(other: ConnectionSet): boolean {
        return (
            this === other ||
            (equalIntervals(this.tcp, other.tcp) &&
                equalIntervals(this.udp, other.udp) &&
                equalIntervals(this.sctp, other.sctp) &&
                equalIntervals(this.other, other.other))
        );
    }

    /** A canonical string, equal for equal sets (the formatted text). */
    key(): string {
        this.cachedKey ??= this.format();
        return this.cachedKey;
    }

    /**
     * The output form: "All Connections", or a comma-separated list such as "TCP 80,443,8080-8090,UDP 53".
     * A protocol open on every port prints as its bare name ("TCP"); protocols without ports print as
     * "ICMP", "ICMPv6", "UDPLite" or "PROTO n" / "PROTO a-b", and every non-port protocol at once as "OTHER".
     */
    format(): string {
        if (this.isAll()) return "All Connections";
        if (this.isEmpty()) return "No Connections";
        const parts: string[] = [];
        for (const protocol of PORT_PROTOCOLS) {
            const ports = this.portsOf(protocol);
            if (ports.length === 0) continue;
            if (equalIntervals(ports, ALL_PORTS)) {
                parts.push(protocol);
                continue;
            }
            parts.push(`${protocol} ${rangesText(ports)}`);
        }
        if (equalIntervals(this.other, ALL_OTHER)) {
            parts.push("OTHER");
        } else {
            for (let i = 0; i < this.other.length; i += 2) {
                const lo = this.other[i]!;
                const hi = this.other[i + 1]!;
                parts.push(lo === hi ? (OTHER_NAMES.get(lo) ?? `PROTO ${lo}`) : `PROTO ${lo}-${hi}`);
            }
        }
        return parts.join(",");
    }

    /** A JSON-friendly form: port intervals per protocol, and other protocol numbers. */
    toJSON(): { TCP?: number[][]; UDP?: number[][]; SCTP?: number[][]; other?: number[][] } {
        const pairs = (set: Intervals): number[][] => {
            const result: number[][] = [];
            for (let i = 0; i < set.length; i += 2) result.push([set[i]!, set[i + 1]!]);
            return result;
        };
        const json: { TCP?: number[][]; UDP?: number[][]; SCTP?: number[][]; other?: number[][] } = {};
        if (this.tcp.length > 0) json.TCP = pairs(this.tcp);
        if (this.udp.length > 0) json.UDP = pairs(this.udp);
        if (this.sctp.length > 0) json.SCTP = pairs(this.sctp);
        if (this.other.length > 0) json.other = pairs(this.other);
        return json;
    }
}

function rangesText(set: Intervals): string {
    const parts: string[] = [];
    for (let i = 0; i < set.length; i += 2) {
        parts.push(set[i] === set[i + 1] ? `${set[i]}` : `${set[i]}-${set[i + 1]}`);
    }
    return parts.join(",");
}

const NAMED_OTHER: ReadonlyMap<string, number> = new Map([
    ["ICMP", 1],
    ["ICMPV6", 58],
    ["UDPLITE", 136],
]);

/**
 * Parses the output form back ("All Connections", "TCP 80,443,UDP 53", "TCP", "ICMP", "OTHER", "PROTO 47").
 * Spaces after commas are allowed. Returns an error text instead of throwing, so callers can place it.
 */
export function parseConnectionSet(text: string): ConnectionSet | string {
    const trimmed = text.trim();
    if (/^all( connections)?$/i.test(trimmed)) return ConnectionSet.ALL;
    let result = ConnectionSet.NONE;
    let current: PortProtocol | "PROTO" | undefined;
    for (const rawPart of trimmed.split(",")) {
        const words = rawPart.trim().split(/\s+/).filter((word) => word !== "");
        if (words.length === 0) return `empty item in ${JSON.stringify(text)}`;
        let numberWord: string | undefined;
        const first = words[0]!.toUpperCase();
        if (first === "TCP" || first === "UDP" || first === "SCTP" || first === "PROTO") {
            current = first;
            if (words.length > 2) return `unexpected ${JSON.stringify(words.slice(2).join(" "))} in ${JSON.stringify(text)}`;
            numberWord = words[1];
            if (numberWord === undefined) {
                if (current === "PROTO") return `PROTO needs a protocol number in ${JSON.stringify(text)}`;
                result = result.union(ConnectionSet.protocol(current));
                continue;
            }
        } else if (first === "OTHER" && words.length === 1) {
            result = result.union(ConnectionSet.OTHER);
            current = undefined;
            continue;
        } else if (NAMED_OTHER.has(first) && words.length === 1) {
            result = result.union(ConnectionSet.protocolNumber(NAMED_OTHER.get(first)!));
            current = undefined;
            continue;
        } else if (words.length === 1 && current !== undefined) {
            numberWord = words[0];
        } else {
            return `expected a protocol (TCP, UDP, SCTP, ICMP, PROTO n) in ${JSON.stringify(text)}, found ${JSON.stringify(rawPart.trim())}`;
        }
        const match = /^(\d+)(?:-(\d+))?$/.exec(numberWord!);
        if (match === null) return `expected a port or range like 80 or 8080-8090, found ${JSON.stringify(numberWord)}`;
        const lo = Number(match[1]);
        const hi = match[2] === undefined ? lo : Number(match[2]);
        if (hi < lo) return `range ${numberWord} ends before it starts`;
        if (current === "PROTO") {
            if (hi > 255) return `protocol number ${hi} is above 255`;
            for (let number = lo; number <= hi; number++) result = result.union(ConnectionSet.protocolNumber(number));
        } else {
            if (lo < 1 || hi > 65535) return `port ${numberWord} is outside 1-65535`;
            result = result.union(ConnectionSet.ports(current!, lo, hi));
        }
    }
    return result;
}
