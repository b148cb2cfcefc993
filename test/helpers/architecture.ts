import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The project's floors (STYLE.md), lowest first. reach/ is its own library: its rooms (input, engine, output) sit under
 * its entry points (index, cli, bench). A room may import rooms on lower floors only: never a room on its
 * own floor or above. `reach/` and core/ are the pure ground; components/ and policy-pack/ stand on core/;
 * offline/ runs the program; cli/common holds the command-line layer every command in cli/ stands on. index.ts (the Pulumi program) sits beside cli/.
 */
export const FLOORS: ReadonlyArray<readonly string[]> = [
    ["reach/input"],
    ["reach/engine"],
    ["reach/output"],
    ["reach"],
    ["core/common"],
    ["core/azure", "core/calico"],
    ["core/intent"],
    ["core/config", "core/evidence"],
    ["core/firewall"],
    ["core/policies"],
    ["core/proof"],
    ["components", "policy-pack"],
    ["offline/runtime"],
    ["offline/report"],
    ["offline/edit"],
    ["cli/common"],
    ["cli", "index.ts"],
];

/** Rooms that other rooms must enter through their index.ts, so that each room's surface is one file. */
export const INDEXED_ROOMS = FLOORS.flat().filter((room) => /^(core|offline|reach)\//.test(room));

/** A relative import of one source file: where it points, as a project-relative path. */
export interface ImportEdge {
    readonly from: string;
    readonly to: string;
    /** The specifier as written, e.g. `../policies`. */
    readonly written: string;
}

const IMPORT = /(?:from|import)\s+"(\.{1,2}\/[^"]+)"/g;

/** Every relative import of every .ts file under the given rooms (type-only imports count too). */
export function importEdges(root: string, rooms: readonly string[]): ImportEdge[] {
    const edges: ImportEdge[] = [];
    for (const file of rooms.flatMap((room) => sourceFiles(root, room))) {
        const text = readFileSync(join(root, file), "utf8");
        for (const match of text.matchAll(IMPORT)) {
            edges.push({ from: file, to: resolveImport(root, file, match[1]!), written: match[1]! });
        }
    }
    return edges;
}

function sourceFiles(root: string, room: string): string[] {
    const path = join(root, room);
    if (!existsSync(path)) return [];
    if (statSync(path).isFile()) return room.endsWith(".ts") ? [room] : [];
    return readdirSync(path, { withFileTypes: true }).flatMap((entry) => {
        const child = join(room, entry.name);
        if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(root, child);
        return entry.name.endsWith(".ts") ? [child] : [];
    });
}

function resolveImport(root: string, file: string, specifier: string): string {
    const target = relative(root, resolve(root, dirname(file), specifier));
    for (const candidate of [`${target}.ts`, join(target, "index.ts"), target]) {
        if (existsSync(join(root, candidate)) && statSync(join(root, candidate)).isFile()) return candidate;
    }
    return `${target}.ts`;
}

/** The room a project file belongs to: the longest room that contains it, or undefined outside every room. */
export function roomOf(file: string, floors: ReadonlyArray<readonly string[]> = FLOORS): string | undefined {
    const rooms = floors.flat().filter((room) => file === room || file.startsWith(`${room}/`));
    return rooms.sort((a, b) => b.length - a.length)[0];
}

function floorOf(room: string, floors: ReadonlyArray<readonly string[]>): number {
    return floors.findIndex((floor) => floor.includes(room));
}

/** Imports from a room to a room on its own floor or above, as readable lines. */
export function upwardImports(edges: readonly ImportEdge[], floors: ReadonlyArray<readonly string[]> = FLOORS): string[] {
    const found: string[] = [];
    for (const edge of edges) {
        const from = roomOf(edge.from, floors);
        const to = roomOf(edge.to, floors);
        if (!from || !to || from === to) continue;
        const [fromFloor, toFloor] = [floorOf(from, floors), floorOf(to, floors)];
        if (toFloor > fromFloor) found.push(`${edge.from} imports ${edge.to}: ${to} is on a higher floor than ${from}`);
        else if (toFloor === fromFloor) found.push(`${edge.from} imports ${edge.to}: ${to} is on the same floor as ${from}`);
    }
    return found;
}

/** Imports that enter an indexed room through one of its files instead of its index.ts. */
export function importsPastTheIndex(edges: readonly ImportEdge[], indexedRooms: readonly string[] = INDEXED_ROOMS): string[] {
    return edges
        .filter((edge) => {
            const to = indexedRooms.find((room) => edge.to.startsWith(`${room}/`));
            return to !== undefined && !edge.from.startsWith(`${to}/`) && edge.to !== `${to}/index.ts` && !edge.to.endsWith(".json");
        })
        .map((edge) => `${edge.from} imports "${edge.written}": enter ${indexedRooms.find((room) => edge.to.startsWith(`${room}/`))} through its index`);
}

/** One import cycle between files, as a path, or undefined. */
export function findCycle(edges: readonly ImportEdge[]): string[] | undefined {
    const graph = new Map<string, string[]>();
    for (const edge of edges) graph.set(edge.from, [...(graph.get(edge.from) ?? []), edge.to]);
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (node: string): string[] | undefined => {
        if (state.get(node) === "done") return undefined;
        if (state.get(node) === "visiting") return [...stack.slice(stack.indexOf(node)), node];
        state.set(node, "visiting");
        stack.push(node);
        for (const next of graph.get(node) ?? []) {
            const cycle = visit(next);
            if (cycle) return cycle;
        }
        stack.pop();
        state.set(node, "done");
        return undefined;
    };
    for (const node of graph.keys()) {
        const cycle = visit(node);
        if (cycle) return cycle;
    }
    return undefined;
}
