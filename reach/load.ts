import * as fs from "node:fs";
import * as path from "node:path";
import { type Document, LineCounter, isNode, parseAllDocuments } from "yaml";
import { type FieldPath, InputError, type SourceLocation, type Warning } from "./errors";

/** One manifest object (already parsed YAML/JSON) with where it came from. */
export interface ManifestObject {
    /** The plain object, as parsed. */
    readonly object: unknown;
    /** Where it came from, for error messages; absent for objects built in code. */
    readonly source?: SourceLocation;
}

/** Objects read from YAML, and the non-fatal problems met on the way. */
export interface LoadResult {
    /** The objects, in file and document order. */
    readonly objects: ManifestObject[];
    /** Problems that did not stop loading. */
    readonly warnings: Warning[];
}

function locator(document: Document, lineCounter: LineCounter, base: FieldPath): (path: FieldPath) => number | undefined {
    return (fieldPath) => {
        const full = [...base, ...fieldPath];
        // Walk back to the deepest part of the path that exists, so a missing field points at its parent.
        for (let length = full.length; length >= 0; length--) {
            const node = length === 0 ? document.contents : document.getIn(full.slice(0, length), true);
            if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
        }
        return undefined;
    };
}

/** A list document: `kind: List` (mixed items, as `kubectl get -o yaml` writes) or a typed `PodList`, `NetworkPolicyList`, .... */
function isList(record: Record<string, unknown>): record is Record<string, unknown> & { kind: string; items: unknown[] } {
    return typeof record.kind === "string" && record.kind.endsWith("List") && Array.isArray(record.items);
}

/**
 * An item of a list, with the kind and apiVersion it inherits. The API server leaves both out of the items of a
 * typed list (`GET /api/v1/pods` answers a `PodList` whose items have neither; dumps from client libraries and
 * other analyzers' corpora look the same): the list's kind minus `List` is the item kind, and the list's
 * apiVersion is the items'. Fields the item states itself win; `kind: List` items (kubectl's own wrapper) must
 * state their own.
 */
function listItem(list: Record<string, unknown> & { kind: string }, item: unknown): unknown {
    if (list.kind === "List" || item === null || typeof item !== "object" || Array.isArray(item)) return item;
    const record = item as Record<string, unknown>;
    if (typeof record.kind === "string" && typeof record.apiVersion === "string") return item;
    return { ...record, kind: record.kind ?? list.kind.slice(0, -"List".length), apiVersion: record.apiVersion ?? list.apiVersion };
}

/**
 * Parses multi-document YAML (or JSON) text. `List` and typed `*List` objects are flattened into their items. Throws
 * InputError ("file:line: invalid YAML: ...") on malformed input.
 */
export function parseManifests(text: string, file: string): LoadResult {
    const lineCounter = new LineCounter();
    const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
    const objects: ManifestObject[] = [];
    const warnings: Warning[] = [];
    const list = Array.isArray(documents) ? documents : [documents];
    for (const document of list) {
        const error = document.errors[0];
        if (error !== undefined) {
            const line = error.linePos?.[0].line;
            const reason = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
            throw new InputError(`invalid YAML: ${reason}`, file, line);
        }
        const value: unknown = document.toJS({ maxAliasCount: 1000 });
        if (value === null || value === undefined) continue;
        const lineOf = locator(document, lineCounter, []);
        const line = lineOf([]);
        if (typeof value !== "object" || Array.isArray(value)) {
            warnings.push({ source: { file, line }, message: "skipping a document that is not a mapping" });
            continue;
        }
        const record = value as Record<string, unknown>;
        if (isList(record)) {
            record.items.forEach((item, index) => {
                const itemLineOf = locator(document, lineCounter, ["items", index]);
                objects.push({ object: listItem(record, item), source: { file, line: itemLineOf([]), lineOf: itemLineOf } });
            });
            continue;
        }
        objects.push({ object: value, source: { file, line, lineOf } });
    }
    return { objects, warnings };
}

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

function manifestFiles(start: string): string[] {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(start);
    } catch {
        throw new InputError("no such file or directory", start);
    }
    if (!stat.isDirectory()) return [start];
    const files: string[] = [];
    const entries = fs.readdirSync(start, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
        const child = path.join(start, entry.name);
        if (entry.isDirectory()) files.push(...manifestFiles(child));
        else if (MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) files.push(child);
    }
    return files;
}

/** Reads files, or folders recursively (*.yaml, *.yml, *.json, in name order), into manifest objects. */
export function loadManifestPaths(paths: readonly string[]): LoadResult {
    const objects: ManifestObject[] = [];
    const warnings: Warning[] = [];
    for (const start of paths) {
        for (const file of manifestFiles(start)) {
            let text: string;
            try {
                text = fs.readFileSync(file, "utf8");
            } catch (error) {
                throw new InputError(`cannot read file: ${(error as Error).message}`, file);
            }
            const result = parseManifests(text, file);
            objects.push(...result.objects);
            warnings.push(...result.warnings);
        }
    }
    return { objects, warnings };
}
