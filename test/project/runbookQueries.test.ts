import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { TABLE_COLUMNS, tableOfDiagnosticCategory, tableOfStream } from "../../core/azure";
import type { MockRun } from "../../offline/runtime";
import { ofType, PROJECT_DIR, runStack, single } from "../helpers/stack";

const RUNBOOK = path.join(PROJECT_DIR, "docs", "runbook-connection-refused.md");

/** The runbook's KQL blocks, with the line each starts on. */
function kustoBlocks(): Array<{ line: number; query: string }> {
    const lines = fs.readFileSync(RUNBOOK, "utf8").split("\n");
    const blocks: Array<{ line: number; query: string }> = [];
    lines.forEach((text, index) => {
        if (text.trim() === "```kusto") {
            const end = lines.indexOf("```", index + 1);
            blocks.push({ line: index + 2, query: lines.slice(index + 1, end).join("\n") });
        }
    });
    return blocks;
}

/** Tables the query reads: the first word of the query and of each `let x = Table` or `join (Table`. */
function tablesOf(query: string): string[] {
    const statements = query.split(";").map((statement) => statement.trim()).filter(Boolean);
    const tables = new Set<string>();
    for (const statement of statements) {
        const source = /^(?:let\s+\w+\s*=\s*)?([A-Za-z_]\w*)\s*(?:\||$)/.exec(statement);
        if (source && /^[A-Z]/.test(source[1])) tables.add(source[1]);
    }
    return [...tables];
}

/** Capitalised identifiers the query uses as columns: not in strings, not names it defines (`Name = ...`). */
function columnsOf(query: string): string[] {
    const code = query.replace(/@"[^"]*"|"(?:[^"\\]|\\.)*"/g, '""');
    const defined = new Set([...code.matchAll(/\b([A-Za-z_]\w*)\s*=(?!=)/g)].map((match) => match[1]));
    const tables = new Set(tablesOf(query));
    const used = [...code.matchAll(/(?<![.\w])([A-Z]\w*)/g)].map((match) => match[1]);
    return [...new Set(used.filter((name) => !defined.has(name) && !tables.has(name)))];
}

describe("the connection-refused runbook's KQL", () => {
    let run: MockRun;
    let produced: Set<string>;
    beforeAll(async () => {
        run = await runStack("prod");
        // What the stack sends to the workspace: the DCR's streams and the diagnostic settings' categories.
        const flows = single(run, "azure-native:monitor:DataCollectionRule").inputs.dataFlows as Array<{ streams: string[] }>;
        const categories = ofType(run, "azure-native:monitor:DiagnosticSetting").flatMap((setting) => (setting.inputs.logs as Array<{ category: string }>).map((log) => log.category));
        produced = new Set([...flows.flatMap((flow) => flow.streams).map(tableOfStream), ...categories.map(tableOfDiagnosticCategory)]);
    });

    it("queries the denied flows of a namespace from Syslog (calico-packet lines) and the firewall's AZFW tables", () => {
        const queries = kustoBlocks().map((block) => block.query);
        const calico = queries.find((query) => query.includes("calico-packet"))!;
        expect(tablesOf(calico).sort()).toEqual(["KubePodInventory", "Syslog"]);
        expect(calico).toMatch(/Facility == "kern"/);
        for (const output of ["SourceIp", "DestinationIp", "DestinationPort", "Node"]) {
            expect(calico).toContain(output);
        }
        expect(queries.some((query) => tablesOf(query).includes("AZFWNetworkRule"))).toBe(true);
        expect(queries.some((query) => tablesOf(query).includes("AZFWApplicationRule"))).toBe(true);
    });

    it("reads only tables the stack fills and columns those tables have", () => {
        const blocks = kustoBlocks();
        expect(blocks.length).toBeGreaterThanOrEqual(8);
        for (const { line, query } of blocks) {
            const tables = tablesOf(query);
            expect(tables.length, `runbook line ${line}: no table`).toBeGreaterThan(0);
            for (const table of tables) {
                expect(produced.has(table), `runbook line ${line}: ${table} is not filled by the DCR or a diagnostic setting`).toBe(true);
                expect(TABLE_COLUMNS[table], `runbook line ${line}: no column list for ${table} in core/azure/monitoring.ts`).toBeDefined();
            }
            const known = new Set(tables.flatMap((table) => TABLE_COLUMNS[table]));
            for (const column of columnsOf(query)) {
                expect(known.has(column), `runbook line ${line}: ${column} is not a column of ${tables.join(", ")}`).toBe(true);
            }
        }
    });

    it("names each firewall table as the workspace has it, not as its diagnostic category", () => {
        // AZFWFqdnResolveFailure is a category; its rows land in AZFWInternalFqdnResolutionFailure.
        expect(tableOfDiagnosticCategory("AZFWFqdnResolveFailure")).toBe("AZFWInternalFqdnResolutionFailure");
        expect(tableOfDiagnosticCategory("AZFWNetworkRule")).toBe("AZFWNetworkRule");
        const named = [...fs.readFileSync(RUNBOOK, "utf8").matchAll(/`(AZFW[A-Za-z]+)`/g)].map((match) => match[1]);
        expect(named.length).toBeGreaterThan(0);
        for (const name of named) {
            // A name is either a table we know, or a category the runbook maps to its (different) table.
            const table = tableOfDiagnosticCategory(name);
            expect(TABLE_COLUMNS[name] ?? (table !== name ? TABLE_COLUMNS[table] : undefined), `the runbook names ${name}, which is not a table the stack fills`).toBeDefined();
        }
    });

    it("would notice a column the table does not have", () => {
        expect(columnsOf('Syslog\n| where Facilty == "kern"\n| project Node = Computer')).toEqual(["Facilty", "Computer"]);
    });
});
