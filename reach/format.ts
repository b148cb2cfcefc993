/** Output forms for connection lists: text lines, JSON, Markdown. */
import type { Connection, Entity } from "./evaluate";

/** Output formats. */
export type OutputFormat = "text" | "json" | "md";

/** One connection as a line: "shop/frontend[Deployment] => shop/backend[Deployment] : TCP 80". */
export function formatConnection(connection: Connection): string {
    return `${connection.source.display} => ${connection.destination.display} : ${connection.ports.format()}`;
}

function entityJson(entity: Entity): Record<string, unknown> {
    return entity.type === "workload"
        ? { type: "workload", kind: entity.kind, namespace: entity.namespace, name: entity.name, display: entity.display }
        : { type: "external", range: entity.display.replace(/\[External\]$/, ""), display: entity.display };
}

/** A JSON-ready connection: entities with their parts, ports as text and as intervals per protocol. */
export function connectionJson(connection: Connection): Record<string, unknown> {
    return {
        source: entityJson(connection.source),
        destination: entityJson(connection.destination),
        ports: connection.ports.format(),
        protocols: connection.ports.toJSON(),
    };
}

function markdownCell(text: string): string {
    return text.replace(/\|/g, "\\|");
}

/** Renders connections (already sorted) in the chosen format; text ends with a newline when non-empty. */
export function formatConnections(connections: readonly Connection[], format: OutputFormat): string {
    switch (format) {
        case "text":
            return connections.map((connection) => `${formatConnection(connection)}\n`).join("");
        case "json":
            return `${JSON.stringify({ connections: connections.map(connectionJson) }, null, 2)}\n`;
        case "md": {
            const rows = connections.map(
                (connection) =>
                    `| ${markdownCell(connection.source.display)} | ${markdownCell(connection.destination.display)} | ${markdownCell(connection.ports.format())} |`,
            );
            return ["| Source | Destination | Connections |", "| --- | --- | --- |", ...rows].join("\n") + "\n";
        }
    }
}

/** "12 connections between 5 workloads and 3 external ranges" (external ranges counted when they appear in a connection). */
export function summaryLine(connections: readonly Connection[], workloadCount: number): string {
    const externals = new Set<string>();
    for (const connection of connections) {
        for (const entity of [connection.source, connection.destination]) {
            if (entity.type === "external") externals.add(entity.display);
        }
    }
    const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;
    return `${plural(connections.length, "connection")} between ${plural(workloadCount, "workload")} and ${plural(externals.size, "external range")}`;
}
