/**
 * The rows of a Log Analytics query result, as it is exported: `az monitor log-analytics query -o json` prints a
 * JSON array with one object per row, keyed by column name (every value as a string, plus `TableName`
 * "PrimaryResult"); the Log Analytics query API itself answers `{tables: [{name, columns: [{name, type}],
 * rows: [[...]]}]}`, which is read too. Each row keeps its line in the file and its position in the result, so that
 * a reader's errors name both. Pure: text in, rows out.
 */
import { LineCounter, isMap, isSeq, parseDocument, type Node } from "yaml";

/** A log line or row that cannot be read; the message reads "file:line: reason". */
export class LogInputError extends Error {
    constructor(message: string, file: string, line?: number) {
        super(`${file}${line !== undefined ? `:${line}` : ""}: ${message}`);
        this.name = "LogInputError";
    }
}

/** One row of an exported query result. */
export interface LogAnalyticsRow {
    /** Column name -> value. */
    readonly value: Readonly<Record<string, unknown>>;
    /** The line of the file the row starts on. */
    readonly line: number;
    /** 1-based position of the row in the result. */
    readonly row: number;
}

/**
 * Reads the rows of an export; `expected` says what a row should be, for the error when the text is something else
 * (e.g. "one object per Syslog row").
 */
export function logAnalyticsRows(text: string, file: string, expected: string): LogAnalyticsRow[] {
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { lineCounter, uniqueKeys: false });
    if (document.errors.length > 0) {
        const error = document.errors[0];
        throw new LogInputError(`invalid JSON: ${error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`, file, error.linePos?.[0].line);
    }
    const lineOf = (node: unknown): number => {
        const range = (node as { range?: [number, number, number] } | undefined)?.range;
        return range ? lineCounter.linePos(range[0]).line : 1;
    };
    const root = document.contents;
    const rows: LogAnalyticsRow[] = [];
    if (isSeq(root)) {
        root.items.forEach((item, index) => {
            if (!isMap(item)) throw new LogInputError(`row ${index + 1}: expected an object per row (${expected}), as az monitor log-analytics query -o json prints`, file, lineOf(item));
            rows.push({ value: item.toJSON() as Record<string, unknown>, line: lineOf(item), row: index + 1 });
        });
        return rows;
    }
    const tables = isMap(root) ? root.get("tables", true) : undefined;
    if (isSeq(tables)) {
        // The query API's own shape: tables[].columns[].name and tables[].rows[][] (what az flattens into objects).
        for (const table of tables.items) {
            if (!isMap(table)) throw new LogInputError("expected each of tables[] to be an object with columns and rows", file, lineOf(table));
            const columns = ((table.get("columns", true) as Node | undefined)?.toJSON() ?? []) as Array<{ name?: unknown }>;
            const names = columns.map((column) => String(column?.name));
            const tableRows = table.get("rows", true);
            if (!isSeq(tableRows)) continue;
            tableRows.items.forEach((item) => {
                const position = rows.length + 1;
                if (!isSeq(item)) throw new LogInputError(`row ${position}: expected a list of values, one per column`, file, lineOf(item));
                const values = item.toJSON() as unknown[];
                rows.push({ value: Object.fromEntries(names.map((name, index) => [name, values[index]])), line: lineOf(item), row: position });
            });
        }
        return rows;
    }
    throw new LogInputError(`expected the JSON array that az monitor log-analytics query -o json prints (${expected})`, file, lineOf(root));
}
