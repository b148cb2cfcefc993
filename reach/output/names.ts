/**
 * Address names: sets of external addresses a reader knows by name ("internet", "VNet 10.20.0.0/16"), printed as
 * that name wherever a workload's traffic covers the whole set alike. Given by the caller (the stack knows its
 * ranges); without names, external ranges print as exact fragments.
 */
import * as jsyaml from "js-yaml";
import { InputError, type ManifestObject, placeText } from "../input";
import { ALL_IPV4, type Connection, ConnectionSet, type ExternalEntity, type Intervals, NO_INTERVALS, compareConnections, externalEntity, intervalsOf, parseCidr, rangeText, subtractIntervals, unionIntervals } from "../engine";

/** A named set of IPv4 addresses: `cidrs` minus `except`, as a Kubernetes ipBlock writes it. */
export interface AddressName {
    readonly name: string;
    readonly cidrs: readonly string[];
    readonly except?: readonly string[];
}

/** An external destination or source printed by its name; `start`/`end` bound it, `addresses` are exactly its own. */
export interface NamedExternalEntity extends ExternalEntity {
    readonly name: string;
    readonly addresses: Intervals;
}

/** Address names with their addresses resolved, in the order they are tried. */
export interface AddressNames {
    readonly entities: readonly NamedExternalEntity[];
}

/** Resolves address names (IPv4 only); `file` names the source of the names in errors. */
export function compileAddressNames(names: readonly AddressName[], file?: string): AddressNames {
    const seen = new Set<string>();
    const entities = names.map((entry, index) => {
        const place = `names[${index}]`;
        if (typeof entry?.name !== "string" || entry.name.trim() === "" || /\s=>\s|\[|\]| : /.test(entry.name)) {
            throw new InputError(`${place}.name: expected a name without "=>", " : " or brackets, got ${JSON.stringify(entry?.name)}`, file);
        }
        if (seen.has(entry.name)) throw new InputError(`${place}.name: "${entry.name}" is named twice`, file);
        seen.add(entry.name);
        const blocks = (list: readonly string[] | undefined, key: string): Intervals =>
            intervalsOf(
                (list ?? []).map((text, position) => {
                    const parsed = parseCidr(String(text));
                    if (typeof parsed === "string") throw new InputError(`${place}.${key}[${position}]: ${parsed}`, file);
                    if (parsed.family !== "ipv4") throw new InputError(`${place}.${key}[${position}]: ${text} is IPv6; names cover IPv4 only`, file);
                    return parsed.range;
                }),
            );
        if (!Array.isArray(entry.cidrs) || entry.cidrs.length === 0) throw new InputError(`${place}.cidrs: expected at least one CIDR`, file);
        const addresses = subtractIntervals(blocks(entry.cidrs, "cidrs"), blocks(entry.except, "except"));
        if (addresses.length === 0) throw new InputError(`${place}: "${entry.name}" has no address left after except`, file);
        return namedEntity(entry.name, addresses);
    });
    return { entities };
}

/**
 * The kind of a document that carries address names among manifests (`npm run plan -- --out DIR` writes one): reach
 * names the stack's own ranges when it finds one in its input, and reads nothing else from it.
 */
export const ADDRESS_NAMES_KIND = "AddressNames";

/** Splits the address-names documents off a loaded input; several are tried in the order read. */
export function takeAddressNames(objects: readonly ManifestObject[]): { names?: AddressNames; objects: ManifestObject[] } {
    const isNames = (item: ManifestObject) => (item.object as { kind?: unknown } | null)?.kind === ADDRESS_NAMES_KIND;
    const documents = objects.filter(isNames);
    if (documents.length === 0) return { objects: [...objects] };
    const entities = documents.flatMap((item) => {
        const list = (item.object as { names?: unknown }).names;
        const place = placeText(item.source?.file, item.source?.line).replace(/: $/, "") || undefined;
        if (!Array.isArray(list)) throw new InputError(`${ADDRESS_NAMES_KIND}: expected a list under \`names:\``, item.source?.file, item.source?.line);
        return compileAddressNames(list as AddressName[], place).entities;
    });
    return { names: { entities }, objects: objects.filter((item) => !isNames(item)) };
}

/** Reads a names file: a YAML or JSON list of `{name, cidrs, except}`, at the top or under `names:`. */
export function parseAddressNames(text: string, file: string): AddressNames {
    let data: unknown;
    try {
        data = jsyaml.load(text);
    } catch (error) {
        throw new InputError(`invalid YAML: ${String((error as Error).message).split("\n")[0]}`, file);
    }
    const list = Array.isArray(data) ? data : (data as { names?: unknown } | null)?.names;
    if (!Array.isArray(list)) throw new InputError("expected a list of {name, cidrs, except} entries, at the top or under `names:`", file);
    return compileAddressNames(list as AddressName[], file);
}

function namedEntity(name: string, addresses: Intervals): NamedExternalEntity {
    return { type: "external", start: addresses[0]!, end: addresses[addresses.length - 1]!, display: name, name, addresses };
}

/** Whether an entity is printed by a name. */
export function isNamedEntity(entity: { readonly type: string }): entity is NamedExternalEntity {
    return entity.type === "external" && "name" in entity;
}

/** The named entity a display text names, if any. */
export function namedEntityOf(names: AddressNames | undefined, display: string): NamedExternalEntity | undefined {
    return names?.entities.find((entity) => entity.display === display);
}

interface Piece {
    readonly start: number;
    readonly end: number;
    ports: ConnectionSet;
}

/**
 * One workload's external connections in one direction, as users read them: the whole IPv4 space first (printed
 * "0.0.0.0/0"), then each name in order takes the traffic common to all its addresses; what is left prints as
 * exact ranges, adjacent ones with the same traffic merged. The result allows exactly the same traffic.
 */
export function nameExternalConnections(connections: readonly Connection[], outbound: boolean, names: AddressNames | undefined): Connection[] {
    if (connections.length === 0) return [];
    const workload = outbound ? connections[0]!.source : connections[0]!.destination;
    const rangeOf = (connection: Connection) => (outbound ? connection.destination : connection.source) as ExternalEntity;
    const candidates: Array<{ entity: ExternalEntity; addresses: Intervals }> = names
        ? [{ entity: externalEntity(ALL_IPV4[0]!, ALL_IPV4[1]!), addresses: ALL_IPV4 }, ...names.entities.map((entity) => ({ entity, addresses: entity.addresses }))]
        : [];
    // Cut the address space at every boundary of the connections and of the names, so that each piece is wholly
    // inside or outside each name.
    const points = new Set<number>();
    let covered: Intervals = NO_INTERVALS;
    for (const connection of connections) {
        const range = rangeOf(connection);
        points.add(range.start);
        points.add(range.end + 1);
        covered = unionIntervals(covered, [range.start, range.end]);
    }
    for (const { addresses } of candidates) {
        for (let i = 0; i < addresses.length; i += 2) {
            points.add(addresses[i]!);
            points.add(addresses[i + 1]! + 1);
        }
    }
    const sorted = [...points].sort((a, b) => a - b);
    const pieces: Piece[] = [];
    for (let i = 0; i + 1 < sorted.length; i++) {
        const start = sorted[i]!;
        const end = sorted[i + 1]! - 1;
        if (subtractIntervals([start, end], covered).length > 0) continue;
        let ports = ConnectionSet.NONE;
        for (const connection of connections) {
            const range = rangeOf(connection);
            if (range.start <= start && end <= range.end) ports = ports.union(connection.ports);
        }
        pieces.push({ start, end, ports });
    }
    const result: Connection[] = [];
    const emit = (entity: ExternalEntity, ports: ConnectionSet) =>
        result.push(outbound ? { source: workload, destination: entity, ports } : { source: entity, destination: workload, ports });
    for (const { entity, addresses } of candidates) {
        const inside = pieces.filter((piece) => isInside(piece, addresses));
        // Named only when every address of the name has traffic: a gap means no traffic is common to all of it.
        if (inside.reduce((sum, piece) => sum + piece.end - piece.start + 1, 0) !== addressCount(addresses)) continue;
        const common = inside.reduce((ports, piece) => ports.intersect(piece.ports), ConnectionSet.ALL);
        if (common.isEmpty()) continue;
        emit(entity, common);
        for (const piece of inside) piece.ports = piece.ports.subtract(common);
    }
    let last: Piece | undefined;
    const rest: Piece[] = [];
    for (const piece of pieces) {
        if (piece.ports.isEmpty()) { last = undefined; continue; }
        if (last && last.end + 1 === piece.start && last.ports.equals(piece.ports)) {
            rest[rest.length - 1] = last = { start: last.start, end: piece.end, ports: last.ports };
        } else {
            rest.push((last = { ...piece }));
        }
    }
    for (const piece of rest) emit(externalEntity(piece.start, piece.end), piece.ports);
    return result.sort((a, b) => compareConnections(a, b) || compareText(rangeOf(a).display, rangeOf(b).display));
}

function addressCount(addresses: Intervals): number {
    let total = 0;
    for (let i = 0; i < addresses.length; i += 2) total += addresses[i + 1]! - addresses[i]! + 1;
    return total;
}

function isInside(piece: Piece, addresses: Intervals): boolean {
    for (let i = 0; i < addresses.length; i += 2) if (addresses[i]! <= piece.start && piece.end <= addresses[i + 1]!) return true;
    return false;
}

/** "0.0.0.0-9.255.255.255, 11.0.0.0-100.63.255.255": the exact ranges of a name, for JSON. */
export function addressRangesText(addresses: Intervals): string[] {
    const ranges: string[] = [];
    for (let i = 0; i < addresses.length; i += 2) ranges.push(rangeText(addresses[i]!, addresses[i + 1]!));
    return ranges;
}

function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
