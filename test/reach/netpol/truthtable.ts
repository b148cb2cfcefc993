/**
 * Expected reachability as a truth table over ordered pairs: a default plus exceptions, applied in order
 * (later calls override earlier ones), like the e2e suite's Reachability.
 */

/** Selects endpoints by namespace and/or name; an empty peer selects every endpoint. */
export interface PeerFilter {
    /** Namespace ("x"), or "ext" for external hosts. */
    readonly namespace?: string;
    /** Pod or host name ("a"). */
    readonly pod?: string;
}

function matches(filter: PeerFilter, endpoint: string): boolean {
    const [namespace, pod] = endpoint.split("/");
    return (filter.namespace === undefined || filter.namespace === namespace) && (filter.pod === undefined || filter.pod === pod);
}

/** A from x to truth table. */
export class Reachability {
    private readonly values = new Map<string, boolean>();

    constructor(
        /** Endpoints, "x/a" or "ext/server". */
        readonly endpoints: readonly string[],
        defaultValue: boolean,
    ) {
        for (const from of endpoints) for (const to of endpoints) this.values.set(`${from}>${to}`, defaultValue);
    }

    /** Sets one ordered pair. */
    expect(from: string, to: string, value: boolean): this {
        if (!this.values.has(`${from}>${to}`)) throw new Error(`unknown pair ${from} -> ${to}`);
        this.values.set(`${from}>${to}`, value);
        return this;
    }

    /** Sets every pair whose ends match the filters. */
    expectPeer(from: PeerFilter, to: PeerFilter, value: boolean): this {
        for (const source of this.endpoints) {
            for (const destination of this.endpoints) {
                if (matches(from, source) && matches(to, destination)) this.values.set(`${source}>${destination}`, value);
            }
        }
        return this;
    }

    /** Sets every pair into `to`. */
    expectAllIngress(to: string, value: boolean): this {
        for (const source of this.endpoints) this.expect(source, to, value);
        return this;
    }

    /** Sets every pair out of `from`. */
    expectAllEgress(from: string, value: boolean): this {
        for (const destination of this.endpoints) this.expect(from, destination, value);
        return this;
    }

    /** The expected value of a pair. */
    get(from: string, to: string): boolean {
        const value = this.values.get(`${from}>${to}`);
        if (value === undefined) throw new Error(`unknown pair ${from} -> ${to}`);
        return value;
    }

    /** Renders the table, "." for allowed and "X" for denied, marking mismatches with "!" when `other` is given. */
    pretty(other?: (from: string, to: string) => boolean): string {
        const header = ["-", ...this.endpoints].join("\t");
        const rows = this.endpoints.map((from) =>
            [
                from,
                ...this.endpoints.map((to) => {
                    const mark = this.get(from, to) ? "." : "X";
                    return other && other(from, to) !== this.get(from, to) ? `${mark}!` : mark;
                }),
            ].join("\t"),
        );
        return [header, ...rows].join("\n");
    }
}
