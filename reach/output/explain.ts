/**
 * "Why can A reach B?": replays the evaluation of one pair, step by step, for the source's egress and the
 * destination's ingress, naming each policy and rule that decided traffic, in evaluation order.
 */
import type { Analysis } from "../engine";
import type { Direction } from "../engine";
import { InputError, lineFor, placeText } from "../input";
import { type DirectionTrace, type Peer, type ReachabilityEngine, type TierOutcome, externalEntity } from "../engine";
import { ipv4Text, parseIPv4 } from "../engine";
import { API_SERVER_KIND } from "../engine";
import { ConnectionSet, coversPublicApiServer, coversSomePublicAddress } from "../engine";

/** A reference to one side of a connection as users write it. */
export type EntityReference =
    | { readonly type: "workload"; readonly namespace: string; readonly name: string; readonly kind?: string; readonly text: string }
    | { readonly type: "address"; readonly address: number; readonly text: string };

/** Parses "shop/frontend", "shop/frontend[Deployment]" or an IPv4 address; returns an error text on bad syntax. */
export function parseEntityReference(text: string): EntityReference | string {
    const trimmed = text.trim();
    const address = parseIPv4(trimmed);
    if (address !== undefined) return { type: "address", address, text: trimmed };
    const match = /^([^/\s[\]]+)\/([^/\s[\]]+)(?:\[([A-Za-z]+)\])?$/.exec(trimmed);
    if (!match) return `expected namespace/name, namespace/name[Kind] or an IPv4 address, found ${JSON.stringify(text)}`;
    return { type: "workload", namespace: match[1]!, name: match[2]!, kind: match[3], text: trimmed };
}

/** Finds the endpoint a workload reference names; returns an error text when unknown or ambiguous. */
export function findEndpoint(engine: ReachabilityEngine, reference: EntityReference & { type: "workload" }): number | string {
    const found = engine.endpoints.filter(
        (endpoint) =>
            endpoint.namespace === reference.namespace &&
            endpoint.name === reference.name &&
            (reference.kind === undefined || endpoint.kind === reference.kind),
    );
    if (found.length === 0) return `unknown workload ${reference.text}`;
    if (found.length > 1) {
        return `${reference.text} is ambiguous: ${found.map((endpoint) => endpoint.display).join(", ")}; add the kind in brackets`;
    }
    return found[0]!.id;
}

/** The evaluation of one pair, explained. */
export interface Explanation {
    /** Source as displayed. */
    readonly source: string;
    /** Destination as displayed. */
    readonly destination: string;
    /** The source's egress evaluation (subject undefined when the source is external). */
    readonly egress: DirectionTrace;
    /** The destination's ingress evaluation (subject undefined when the destination is external). */
    readonly ingress: DirectionTrace;
    /** Traffic allowed end to end. */
    readonly verdict: ConnectionSet;
    /** Extra facts that shaped the verdict. */
    readonly notes: readonly string[];
}

type Side = { readonly endpoint: number } | { readonly address: number };

function resolveSide(engine: ReachabilityEngine, text: string, role: string): Side {
    const reference = parseEntityReference(text);
    if (typeof reference === "string") throw new InputError(`${role}: ${reference}`);
    if (reference.type === "address") return { address: reference.address };
    const id = findEndpoint(engine, reference);
    if (typeof id === "string") throw new InputError(`${role}: ${id}`);
    return { endpoint: id };
}

function sideText(engine: ReachabilityEngine, side: Side): string {
    if ("endpoint" in side) return engine.entities[side.endpoint]!.display;
    const piece = engine.pieceOf(side.address);
    const start = engine.pieceStarts[piece]!;
    const end = piece + 1 < engine.pieceStarts.length ? engine.pieceStarts[piece + 1]! - 1 : 0xffffffff;
    return `${ipv4Text(side.address)} (external, in ${externalEntity(start, end).display})`;
}

/** Explains the connection from `source` to `destination` (workload references or IPv4 addresses). Throws InputError on unknown names. */
export function explain(analysis: Analysis, source: string, destination: string): Explanation {
    const engine = analysis.engine;
    const from = resolveSide(engine, source, "source");
    const to = resolveSide(engine, destination, "destination");
    if (!("endpoint" in from) && !("endpoint" in to)) throw new InputError("explain needs a workload on at least one side");
    const peerFor = (side: Side): Peer => ("endpoint" in side ? { kind: "endpoint", id: side.endpoint } : { kind: "piece", index: engine.pieceOf(side.address) });
    const trace = (side: Side, direction: Direction, other: Side): DirectionTrace => {
        if (!("endpoint" in side)) {
            return { direction, tiers: [], allowedByDefault: ConnectionSet.ALL, allowed: ConnectionSet.ALL };
        }
        const tiers: TierOutcome[] = [];
        const allowed = engine.evaluate(side.endpoint, direction, peerFor(other), tiers);
        const last = tiers[tiers.length - 1];
        // What the last tier passed on is what profiles (Kubernetes' default allow) let through.
        return { direction, subject: engine.entities[side.endpoint], tiers, allowedByDefault: last ? last.passedOn : ConnectionSet.ALL, allowed };
    };
    const egress = trace(from, "egress", to);
    const ingress = trace(to, "ingress", from);
    let verdict = egress.allowed.intersect(ingress.allowed);
    const notes: string[] = [];
    const unknown = [
        ...("endpoint" in from ? engine.unknownAddressRules(from.endpoint, "egress", peerFor(to)) : []),
        ...("endpoint" in to ? engine.unknownAddressRules(to.endpoint, "ingress", peerFor(from)) : []),
    ];
    if (unknown.length > 0) {
        notes.push(
            `depends on an unknown pod IP: ${unknown.join(", ")} match${unknown.length === 1 ? "es" : ""} by nets/notNets, and the input gives no status.podIP ` +
                "that settles it for these pods (their IPs may lie anywhere in the pod address space); counted as not matching",
        );
    }
    for (const side of [from, to]) {
        if (!("endpoint" in side) || !engine.endpoints[side.endpoint]!.hostNetwork) continue;
        notes.push(
            `${engine.endpoints[side.endpoint]!.display} is unpoliced: it runs with hostNetwork: true, and Calico creates no workload endpoint for a ` +
                "host-networked pod (libcalico-go conversion.go), so no pod policy applies to it; its traffic is its node's (AKS has no host endpoints " +
                "to police that), other pods' rules see it only by the node's address, and Felix never polices traffic from a node to its own pods",
        );
    }
    if ("endpoint" in to && engine.endpoints[to.endpoint]!.kind === API_SERVER_KIND) {
        verdict = verdict.intersect(ConnectionSet.ports("TCP", 443));
        notes.push("the API server pseudo-endpoint listens on TCP 443 only");
        notes.push(
            "the public API server's address is unknown offline: it is reached by a `services` match on default/kubernetes, by a rule with no address limit, or by an ipBlock/nets that holds public addresses (all public IPv4: surely; part of it: uncertain)",
        );
        for (const tier of egress.tiers) {
            for (const step of tier.steps) {
                if (step.effect !== "allowed" || !step.rule || !step.rule.peers.some(coversSomePublicAddress) || step.rule.peers.some(coversPublicApiServer)) continue;
                notes.push(
                    `uncertain: ${step.policy.display} egress[${step.rule.index}] allows part of public IPv4, where the public API server may be; counted as reaching it (a \`services\` match on default/kubernetes that denies first would settle it)`,
                );
            }
        }
    }
    if ("endpoint" in from && "endpoint" in to && engine.endpoints[from.endpoint]!.kind === API_SERVER_KIND && engine.endpoints[to.endpoint]!.kind === API_SERVER_KIND) {
        verdict = ConnectionSet.NONE;
    }
    return { source: sideText(engine, from), destination: sideText(engine, to), egress, ingress, verdict, notes };
}

function directionLines(trace: DirectionTrace, otherText: string): string[] {
    const heading = trace.subject
        ? `${trace.direction} of ${trace.subject.display}:`
        : `${trace.direction === "egress" ? "egress of the external source" : "ingress of the external destination"}:`;
    const lines = [heading];
    if (!trace.subject) {
        lines.push("  no policy applies to external addresses: all traffic allowed");
        return lines;
    }
    if (trace.tiers.length === 0) {
        lines.push(`  no policy selects it for ${trace.direction}: all traffic allowed (Kubernetes default)`);
        return lines;
    }
    for (const tier of trace.tiers) {
        const order = Number.isFinite(tier.tier.order) ? tier.tier.order : "unset";
        lines.push(`  tier ${tier.tier.name} (order ${order}):`);
        for (const step of tier.steps) {
            const policy = step.policy;
            if (!step.rule) {
                lines.push(`    ${policy.display}${where(policy.source?.file, policy.source?.line)}: selects it, no rule matched ${otherText}`);
                continue;
            }
            const field = ["spec", trace.direction, step.rule.index];
            const line = lineFor(policy.source, field);
            lines.push(
                `    ${policy.display} ${trace.direction}[${step.rule.index}]${where(policy.source?.file, line)}: ${step.rule.text} -> ${step.effect} ${step.traffic.format()}`,
            );
        }
        if (!tier.dropped.isEmpty()) lines.push("    end of tier: everything else is dropped");
        if (!tier.passedOn.isEmpty()) lines.push(`    end of tier: passed to the next tier: ${tier.passedOn.format()}`);
    }
    if (trace.tiers.length > 0 && !trace.allowedByDefault.isEmpty()) {
        lines.push("  after the last tier: passed traffic is allowed (Kubernetes default)");
    }
    lines.push(`  ${trace.direction} allows: ${trace.allowed.format()}`);
    return lines;
}

function where(file: string | undefined, line: number | undefined): string {
    if (file === undefined) return "";
    return ` (${placeText(file, line).replace(/: $/, "")})`;
}

/** Renders an explanation as text. */
export function formatExplanation(explanation: Explanation): string {
    const lines = [
        `explain ${explanation.source} => ${explanation.destination}`,
        ...directionLines(explanation.egress, `for ${explanation.destination}`),
        ...directionLines(explanation.ingress, `for ${explanation.source}`),
        ...explanation.notes.map((note) => `note: ${note}`),
        `verdict: ${explanation.verdict.format()}`,
    ];
    return `${lines.join("\n")}\n`;
}
