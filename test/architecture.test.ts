import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..");

/** Relative imports of every .ts file in the folders, as project-relative paths (type-only imports count too). */
function importGraph(folders: readonly string[]): Map<string, string[]> {
    const graph = new Map<string, string[]>();
    for (const folder of folders) {
        for (const file of readdirSync(join(ROOT, folder)).filter((name) => name.endsWith(".ts"))) {
            const path = join(folder, file);
            const text = readFileSync(join(ROOT, path), "utf8");
            const targets = [...text.matchAll(/(?:from|import)\s+"(\.{1,2}\/[^"]+)"/g)].map((match) => {
                const target = relative(ROOT, resolve(ROOT, dirname(path), match[1]!));
                return target.endsWith(".ts") ? target : `${target}.ts`;
            });
            graph.set(path, targets);
        }
    }
    return graph;
}

/** One cycle found by depth-first search, as a path, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (node: string): string[] | undefined => {
        if (state.get(node) === "done") return undefined;
        if (state.get(node) === "visiting") return [...stack.slice(stack.indexOf(node)), node];
        state.set(node, "visiting");
        stack.push(node);
        for (const next of graph.get(node) ?? []) {
            if (!graph.has(next)) continue;
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

describe("floors and cycles (STYLE.md)", () => {
    it("core/ has no import cycle", () => {
        expect(findCycle(importGraph(["core"]))).toBeUndefined();
    });

    it("the cycle finder sees a circle when there is one", () => {
        const graph = new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]]]);
        expect(findCycle(graph)).toEqual(["a.ts", "b.ts", "c.ts", "a.ts"]);
    });

    it("core/ and reach/ import nothing from a floor above them", () => {
        const above = /^(components|policy-pack|offline|cli)\//;
        for (const [file, targets] of importGraph(["core", "reach"])) {
            expect(targets.filter((target) => above.test(target)), file).toEqual([]);
        }
    });

    it("nothing in policy-pack/ imports from offline/ or cli/", () => {
        for (const [file, targets] of importGraph(["policy-pack"])) {
            expect(targets.filter((target) => /^(offline|cli)\//.test(target)), file).toEqual([]);
        }
    });
});
