/**
 * The quarterly review's example (examples/review/): the prod stack with an unused FQDN on backend and a deleted
 * workload, 90 days of firewall logs as `az monitor log-analytics query -o json` prints the review's queries, and a
 * cluster dump. Helpers here derive the other cases from it (a shorter span, other rows), so that every test starts
 * from the files the README runs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { projectConfigValues, readStackConfig, type StackConfig } from "../../core/config";
import { parseFirewallLog, readClusterInventory, type ClusterInventory, type FirewallLogRow } from "../../core/evidence";
import { parseStackFile } from "../../offline/runtime";
import { PROJECT_DIR } from "../helpers/stack";

export const EXAMPLE_DIR = path.join(PROJECT_DIR, "examples", "review");
export const EXAMPLE_STACK = path.join(EXAMPLE_DIR, "Pulumi.prod.yaml");
export const APPLICATION_LOG = path.join(EXAMPLE_DIR, "azfw-application-rule.json");
export const NETWORK_LOG = path.join(EXAMPLE_DIR, "azfw-network-rule.json");
export const CLUSTER_DUMP = path.join(EXAMPLE_DIR, "cluster.json");

/** A row as az prints it: every value a string. */
export type ExportRow = Record<string, string>;

export function exportRows(file: string): ExportRow[] {
    return JSON.parse(fs.readFileSync(file, "utf8")) as ExportRow[];
}

/** The rows with FirstSeen moved to `days` before LastSeen: the same traffic, seen over a shorter span. */
export function shortened(rows: readonly ExportRow[], days: number): ExportRow[] {
    return rows.map((row) => ({ ...row, FirstSeen: new Date(Date.parse(row.LastSeen) - days * 24 * 60 * 60 * 1000).toISOString() }));
}

export function stackConfig(text = fs.readFileSync(EXAMPLE_STACK, "utf8")): StackConfig {
    return readStackConfig(projectConfigValues(parseStackFile(text, EXAMPLE_STACK)), "prod");
}

export function firewallRows(files: Record<string, readonly ExportRow[]> = { [APPLICATION_LOG]: exportRows(APPLICATION_LOG), [NETWORK_LOG]: exportRows(NETWORK_LOG) }): FirewallLogRow[] {
    return Object.entries(files).flatMap(([file, rows]) => parseFirewallLog(JSON.stringify(rows, null, 2), file));
}

export function clusterInventory(text = fs.readFileSync(CLUSTER_DUMP, "utf8")): ClusterInventory {
    return readClusterInventory(text, CLUSTER_DUMP);
}

/** The dump's objects, to derive other dumps from. */
export function dumpItems(): Array<Record<string, any>> {
    return (JSON.parse(fs.readFileSync(CLUSTER_DUMP, "utf8")) as { items: Array<Record<string, any>> }).items;
}

export function dumpOf(items: ReadonlyArray<Record<string, any>>): string {
    return JSON.stringify({ apiVersion: "v1", kind: "List", items });
}
