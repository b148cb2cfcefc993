/**
 * The prober: asks the reachability engine (instead of a live cluster) whether one endpoint reaches
 * another on a port and protocol. Knows nothing about the expectations.
 */
import { type Connection, ConnectionSet, type ManifestObject, analyze, parseEntityReference } from "../../../reach";
import { type Model, type Protocol, clusterObjects } from "./model";

/** Answers probes for one cluster and one set of policies. */
export class Prober {
    private readonly pairs = new Map<string, ConnectionSet>();
    private readonly externals: Connection[] = [];

    constructor(
        private readonly cluster: Model,
        policies: readonly ManifestObject[],
    ) {
        const analysis = analyze([...clusterObjects(cluster), ...policies]);
        for (const connection of analysis.connections) {
            if (connection.source.type === "workload" && connection.destination.type === "workload") {
                this.pairs.set(`${connection.source.display}>${connection.destination.display}`, connection.ports);
            } else {
                this.externals.push(connection);
            }
        }
    }

    private address(endpoint: string): number | undefined {
        const ip = this.cluster.hosts?.[endpoint];
        if (ip === undefined) return undefined;
        const reference = parseEntityReference(ip);
        if (typeof reference === "string" || reference.type !== "address") throw new Error(`bad host address ${ip}`);
        return reference.address;
    }

    /** Allowed traffic from one endpoint to another ("x/a", or an external host "ext/name"). */
    traffic(from: string, to: string): ConnectionSet {
        const fromAddress = this.address(from);
        const toAddress = this.address(to);
        if (fromAddress === undefined && toAddress === undefined) {
            return this.pairs.get(`${from}[Pod]>${to}[Pod]`) ?? ConnectionSet.NONE;
        }
        if (fromAddress !== undefined && toAddress !== undefined) return ConnectionSet.NONE;
        for (const connection of this.externals) {
            const { source, destination } = connection;
            if (toAddress !== undefined && source.display === `${from}[Pod]` && destination.type === "external" && destination.start <= toAddress && toAddress <= destination.end) {
                return connection.ports;
            }
            if (fromAddress !== undefined && destination.display === `${to}[Pod]` && source.type === "external" && source.start <= fromAddress && fromAddress <= source.end) {
                return connection.ports;
            }
        }
        return ConnectionSet.NONE;
    }

    /** True when `from` can open a connection to `to` on the port and protocol. */
    canReach(from: string, to: string, port: number, protocol: Protocol): boolean {
        return this.traffic(from, to).covers(ConnectionSet.ports(protocol, port));
    }
}
