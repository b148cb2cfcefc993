/**
 * The quarterly review's KQL (docs/audit-to-enforce.md, "Quarterly review"): it reads only columns the tables have
 * (core/azure/monitoring.ts TABLE_COLUMNS, from the Azure Monitor table reference), and what it exports is exactly
 * what `review` reads. The second part runs the query's summarise over raw rows of the example's traffic and feeds
 * the result to the review: the decisions must be those of the example exports.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { TABLE_COLUMNS } from "../../core/azure";
import { parseFirewallLog, targetText } from "../../core/evidence";
import { reviewStack } from "../../offline/edit";
import { PROJECT_DIR } from "../helpers/stack";
import { APPLICATION_LOG, clusterInventory, exportRows, firewallRows, NETWORK_LOG, stackConfig, type ExportRow } from "./fixtures";

interface ReviewQuery {
    readonly table: string;
    readonly window: string;
    /** `Name = aggregate(Column)` of the summarise. */
    readonly aggregates: ReadonlyArray<{ readonly name: string; readonly fn: string; readonly column?: string }>;
    readonly by: readonly string[];
    readonly file: string;
}

/** The guide's section, where the queries are given. */
function guideSection(): string {
    const guide = fs.readFileSync(path.join(PROJECT_DIR, "docs", "audit-to-enforce.md"), "utf8");
    return guide.slice(guide.indexOf("## Quarterly review"));
}

/** The quarterly workflow's steps' shell text, as GitHub runs it (YAML block scalars unfolded). */
function workflowSteps(): string {
    const workflow = parse(fs.readFileSync(path.join(PROJECT_DIR, ".github", "workflows", "quarterly-review.yml"), "utf8")) as { jobs: Record<string, { steps: Array<{ run?: string }> }> };
    return Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? "")).join("\n");
}

/** The `az monitor log-analytics query ... --analytics-query '<KQL>' > FILE` commands of a text. */
function reviewQueries(text = guideSection()): ReviewQuery[] {
    return [...text.matchAll(/--analytics-query '\n([\s\S]*?)' > (\S+)/g)].map((match) => {
        const kql = match[1]!;
        const [table, ...pipes] = kql.split(/\n\|\s*/).map((part) => part.replace(/\s+/g, " ").trim());
        const where = pipes.find((pipe) => pipe.startsWith("where "))!;
        const summarize = /^summarize (.*) by (.*)$/.exec(pipes.find((pipe) => pipe.startsWith("summarize "))!)!;
        expect(pipes.length, kql).toBe(2);
        return {
            table: table!,
            window: /^where TimeGenerated > ago\((\d+d)\)$/.exec(where)![1]!,
            aggregates: summarize[1]!.split(/,\s*/).map((aggregate) => {
                const parts = /^(\w+) = (\w+)\((\w*)\)$/.exec(aggregate)!;
                return { name: parts[1]!, fn: parts[2]!, ...(parts[3] ? { column: parts[3] } : {}) };
            }),
            by: summarize[2]!.split(/,\s*/),
            file: match[2]!,
        };
    });
}

/** What Log Analytics would answer: the summarise over `rows`, printed as az prints it (strings). */
function runQuery(query: ReviewQuery, rows: ReadonlyArray<Record<string, string | number>>): ExportRow[] {
    const groups = new Map<string, Array<Record<string, string | number>>>();
    for (const row of rows) {
        const key = JSON.stringify(query.by.map((column) => row[column] ?? ""));
        groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    return [...groups.values()].map((group) => {
        const out: ExportRow = Object.fromEntries(query.by.map((column) => [column, String(group[0]![column] ?? "")]));
        for (const aggregate of query.aggregates) {
            const values = group.map((row) => String(row[aggregate.column ?? ""])).sort();
            out[aggregate.name] = aggregate.fn === "count" ? String(group.length) : aggregate.fn === "min" ? values[0]! : values[values.length - 1]!;
        }
        return { ...out, TableName: "PrimaryResult" };
    });
}

/** Raw rows with every column of the table: the example's summarised traffic, two requests per row (first and last). */
function rawRows(table: string, summarised: readonly ExportRow[]): Array<Record<string, string | number>> {
    return summarised.flatMap((row, index) => [row.FirstSeen, row.LastSeen].map((time, request) => {
        const raw: Record<string, string | number> = {};
        for (const column of TABLE_COLUMNS[table]!) {
            raw[column] = column in row ? row[column]! : column === "TimeGenerated" ? time! : column === "SourceIp" ? "10.20.16.4" : column === "SourcePort" ? 40000 + index * 2 + request : column === "DestinationPort" ? 443 : "";
        }
        return raw;
    }));
}

describe("the quarterly review's queries", () => {
    const queries = reviewQueries();

    it("export both firewall tables over a quarter, into the files the guide's review command reads", () => {
        expect(queries.map((query) => [query.table, query.window, query.file])).toEqual([
            ["AZFWApplicationRule", "90d", "azfw-application-rule.json"],
            ["AZFWNetworkRule", "90d", "azfw-network-rule.json"],
        ]);
    });

    it("are the ones the quarterly workflow runs", () => {
        expect(reviewQueries(workflowSteps())).toEqual(queries);
    });

    it("read only columns the tables have", () => {
        for (const query of queries) {
            const columns = [...query.by, ...query.aggregates.flatMap((aggregate) => (aggregate.column ? [aggregate.column] : []))];
            for (const column of columns) expect(TABLE_COLUMNS[query.table], `${query.table}.${column}`).toContain(column);
        }
    });

    it("export exactly what review reads: the decisions from the query's answer are those from the example exports", () => {
        const exports: Record<string, ExportRow[]> = { AZFWApplicationRule: exportRows(APPLICATION_LOG), AZFWNetworkRule: exportRows(NETWORK_LOG) };
        const answered = queries.flatMap((query) => parseFirewallLog(JSON.stringify(runQuery(query, rawRows(query.table, exports[query.table]!)), null, 2), query.file));
        const fromQueries = reviewStack(stackConfig(), answered, clusterInventory());
        const fromExamples = reviewStack(stackConfig(), firewallRows(), clusterInventory());
        expect(fromQueries.removals.map((removal) => targetText(removal.target))).toEqual(["shop/backend egress.fqdns invoices.legacy-partner.example", "workload shop/legacy-reporter"]);
        expect(fromQueries.removals).toEqual(fromExamples.removals);
        expect(fromQueries.kept.map((entry) => [targetText(entry.target), entry.verdict])).toEqual(fromExamples.kept.map((entry) => [targetText(entry.target), entry.verdict]));
        expect(fromQueries.spans.map((span) => span.days)).toEqual([90.9, 90.9]);
    });
});
