import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FLOORS, findCycle, importEdges, importsPastTheIndex, INDEXED_ROOMS, roomOf, upwardImports } from "../helpers/architecture";

const ROOT = resolve(__dirname, "..", "..");
const FIXTURES = join(__dirname, "..", "fixtures", "architecture");
const ALL_ROOMS = FLOORS.flat();

describe("floors and rooms (STYLE.md)", () => {
    const edges = importEdges(ROOT, ALL_ROOMS);

    it("no room imports a room on its own floor or above", () => {
        expect(upwardImports(edges)).toEqual([]);
    });

    it("no two source files import each other, directly or around a circle", () => {
        expect(findCycle(edges)).toBeUndefined();
    });

    it("other rooms enter core/, offline/ and reach/ rooms through their index", () => {
        expect(importsPastTheIndex(edges)).toEqual([]);
    });

    it("policy-pack/ imports only core/, reach/ and itself", () => {
        const outside = edges.filter((edge) => edge.from.startsWith("policy-pack/") && !/^(core|reach|policy-pack)\//.test(edge.to));
        expect(outside.map((edge) => `${edge.from} -> ${edge.to}`)).toEqual([]);
    });

    it("every source file of core/ and offline/ (and reach/ below its entry points) lives in a room, and each room opens with what it holds and may import", () => {
        for (const top of ["core", "offline", "reach"]) {
            for (const entry of readdirSync(join(ROOT, top), { withFileTypes: true })) {
                if (top === "reach" && !entry.isDirectory()) continue; // the library's entry points and README
                expect(entry.isDirectory(), `${top}/${entry.name} is not in a room`).toBe(true);
                expect(roomOf(`${top}/${entry.name}/index.ts`), `${top}/${entry.name} is not on a floor`).toBe(`${top}/${entry.name}`);
            }
        }
        for (const room of INDEXED_ROOMS) {
            const header = readFileSync(join(ROOT, room, "index.ts"), "utf8").split("\n").slice(0, 6).join("\n");
            expect(header, `${room}/index.ts opens with what the room holds and what it may import`).toMatch(/^\/\*\*\n \* \S[\s\S]*Imports /);
            expect(edges.some((edge) => edge.from === `${room}/index.ts`), `${room}/index.ts re-exports its files`).toBe(true);
        }
    });

    it("no room holds more than a dozen source files", () => {
        for (const room of ALL_ROOMS.filter((room) => !room.endsWith(".ts"))) {
            const files = readdirSync(join(ROOT, room)).filter((name) => name.endsWith(".ts") && name !== "index.ts");
            expect(files.length, room).toBeLessThanOrEqual(12);
        }
    });
});

describe("the architecture checks bite (fixtures)", () => {
    it("a lower room importing a higher one is reported, naming both", () => {
        const fixture = join(FIXTURES, "upward");
        const found = upwardImports(importEdges(fixture, ALL_ROOMS));
        expect(found).toEqual(["core/common/index.ts imports core/policies/index.ts: core/policies is on a higher floor than core/common"]);
    });

    it("a room importing a sibling on its own floor is reported", () => {
        const fixture = join(FIXTURES, "sideways");
        expect(upwardImports(importEdges(fixture, ALL_ROOMS))).toEqual(["core/azure/index.ts imports core/calico/index.ts: core/calico is on the same floor as core/azure"]);
    });

    it("a circle of imports is found, and an import past a room's index is reported", () => {
        const fixture = join(FIXTURES, "upward");
        const edges = importEdges(fixture, ALL_ROOMS);
        expect(findCycle(edges)).toEqual(["core/common/index.ts", "core/policies/index.ts", "core/common/index.ts"]);
        expect(importsPastTheIndex(importEdges(join(FIXTURES, "sideways"), ALL_ROOMS))).toEqual([`cli/main.ts imports "../core/azure/facts": enter core/azure through its index`]);
    });
});
