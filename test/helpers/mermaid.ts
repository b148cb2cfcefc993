/**
 * Parses Mermaid text with Mermaid itself (the `mermaid` package, the parser GitHub's renderer runs).
 * Mermaid sanitizes labels with DOMPurify, which needs a DOM: a happy-dom window stands in for the browser.
 * `@mermaid-js/parser` cannot be used instead: it covers info, packet, pie, architecture, gitGraph and a few
 * newer diagram types, not flowcharts.
 */
import { Window } from "happy-dom";

/** What Mermaid's flowchart database holds after parsing. */
export interface ParsedFlowchart {
    readonly type: string;
    readonly vertices: ReadonlyMap<string, { readonly id: string; readonly text: string }>;
    readonly edges: ReadonlyArray<{ readonly start: string; readonly end: string; readonly text: string; readonly stroke: string; readonly style: readonly string[] }>;
    readonly subgraphs: ReadonlyArray<{ readonly id: string; readonly title: string; readonly nodes: readonly string[]; readonly classes: readonly string[] }>;
}

interface FlowDb {
    getVertices(): Map<string, { id: string; text: string }>;
    getEdges(): Array<{ start: string; end: string; text: string; stroke: string; style?: string[] }>;
    getSubGraphs(): Array<{ id: string; title: string; nodes: string[]; classes: string[] }>;
}

let loaded: Promise<typeof import("mermaid").default> | undefined;

function mermaid(): Promise<typeof import("mermaid").default> {
    if (!loaded) {
        const window = new Window();
        // DOMPurify binds to the global window when it is first imported.
        Object.assign(globalThis, { window, document: window.document });
        loaded = import("mermaid").then((module) => module.default);
    }
    return loaded;
}

/** Parses a flowchart; rejects (with Mermaid's error) when Mermaid cannot parse the text. */
export async function parseFlowchart(text: string): Promise<ParsedFlowchart> {
    const api = await mermaid();
    await api.parse(text);
    const diagram = await api.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db as unknown as FlowDb;
    return {
        type: diagram.type,
        vertices: db.getVertices(),
        edges: db.getEdges().map((edge) => ({ start: edge.start, end: edge.end, text: edge.text, stroke: edge.stroke, style: edge.style ?? [] })),
        subgraphs: db.getSubGraphs(),
    };
}
