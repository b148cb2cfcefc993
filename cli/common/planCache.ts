/**
 * A content-addressed cache of child-process plans, for test runs only: the test suite plans the same stack files
 * many times over (the security diff's unchanged base, suggest's and review's "before" plan, README's commands), and
 * a plan is a pure function of the program, the stack file's bytes, the plan's arguments, the judgement day and
 * the Pulumi SDK's environment variables.
 * Off unless AKS_ZERO_TRUST_PLAN_CACHE names a folder (vitest's global setup makes a fresh one per run and deletes
 * it after); without it every plan runs, as always.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { isoDayOf } from "../../core/common";

/** The environment variable that names the cache folder; unset (or empty), nothing is cached. */
export const PLAN_CACHE_VARIABLE = "AKS_ZERO_TRUST_PLAN_CACHE";

/** Everything a plan's JSON depends on. */
export interface PlanCacheInputs {
    /** The program that plans: a digest of every file it can load (see programDigest). */
    readonly program: string;
    /** The plan's options in order, each with its value; a file's value is its bytes (undefined: unreadable). */
    readonly options: ReadonlyArray<readonly [string, string | Buffer | undefined]>;
    /** The day the plan judges on when neither --today nor SOURCE_DATE_EPOCH says (the clock's UTC day). */
    readonly clockDay: string;
    /** SOURCE_DATE_EPOCH as the child sees it. */
    readonly sourceDateEpoch: string | undefined;
    /** The PULUMI_* variables the child sees (the SDK reads its config and settings from them), sorted by name. */
    readonly pulumiEnvironment: ReadonlyArray<readonly [string, string]>;
    /** The Node.js version that runs the plan. */
    readonly node: string;
}

/** The plan options a cached plan may have: the files by their bytes, the rest by value. Anything else (--out writes files) is never cached. */
const FILE_OPTIONS = new Set(["--config", "--policy-pack-config"]);
const VALUE_OPTIONS = new Set(["--stack", "--format", "--today"]);
const FLAG_OPTIONS = new Set(["--verbose"]);

/** The cache key: a SHA-256 over every input, each length-prefixed (an absent one marked) so that no two input lists collide. */
export function planCacheKey(inputs: PlanCacheInputs): string {
    const hash = createHash("sha256");
    const part = (value: string | Buffer | undefined) => {
        if (value === undefined) return void hash.update("-;");
        const bytes = Buffer.from(value);
        hash.update(`${bytes.length}:`);
        hash.update(bytes);
    };
    part("plan-cache-v2");
    part(inputs.program);
    part(inputs.node);
    part(inputs.sourceDateEpoch);
    // The clock decides only when SOURCE_DATE_EPOCH is unset (and --today absent).
    part(inputs.sourceDateEpoch === undefined ? inputs.clockDay : undefined);
    part(JSON.stringify(inputs.pulumiEnvironment));
    part(String(inputs.options.length));
    for (const [name, value] of inputs.options) {
        part(name);
        part(value);
    }
    return hash.digest("hex");
}

const digests = new Map<string, string>();

/**
 * A digest of the files the planning program can load: `roots` (the compiled bundles' folder, or the project's
 * sources) walked for `extensions`, skipping node_modules, dist, test and .git unless they are the root, plus the
 * dependency lock file. Computed once per process.
 */
export function programDigest(roots: readonly string[], extensions: readonly string[], lockFile: string): string {
    const id = JSON.stringify([roots, extensions, lockFile]);
    const known = digests.get(id);
    if (known) return known;
    const hash = createHash("sha256");
    const files = roots.flatMap((root) => filesUnder(root, extensions, true)).sort();
    for (const file of [...files, lockFile]) {
        const bytes = readOrUndefined(file);
        hash.update(`${file}\0${bytes?.length ?? -1}\0`);
        if (bytes) hash.update(bytes);
    }
    const digest = hash.digest("hex");
    digests.set(id, digest);
    return digest;
}

function filesUnder(dir: string, extensions: readonly string[], isRoot: boolean): string[] {
    if (!isRoot && ["node_modules", "dist", "test", ".git"].includes(path.basename(dir))) return [];
    let entries: fs.Dirent[];
    try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
        return [];
    }
    return entries.flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return filesUnder(full, extensions, false);
        return entry.isFile() && extensions.some((extension) => entry.name.endsWith(extension)) ? [full] : [];
    });
}

/**
 * The inputs of one plan (`args`: the plan's options), with the files they name read now, the day and the
 * environment the child inherits; undefined when an option may do more than print the plan (--out) or is unknown.
 */
export function planCacheInputs(program: string, args: readonly string[], env: NodeJS.ProcessEnv, now: Date): PlanCacheInputs | undefined {
    const options: Array<readonly [string, string | Buffer | undefined]> = [];
    for (let index = 0; index < args.length; index += 1) {
        const name = args[index]!;
        if (FLAG_OPTIONS.has(name)) {
            options.push([name, undefined]);
        } else if ((FILE_OPTIONS.has(name) || VALUE_OPTIONS.has(name)) && index + 1 < args.length) {
            const value = args[(index += 1)]!;
            options.push([name, FILE_OPTIONS.has(name) ? readOrUndefined(path.resolve(value)) : value]);
        } else {
            return undefined;
        }
    }
    const pulumiEnvironment = Object.entries(env)
        .filter((entry): entry is [string, string] => entry[0].startsWith("PULUMI_") && entry[1] !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { program, options, clockDay: isoDayOf(now), sourceDateEpoch: env.SOURCE_DATE_EPOCH, pulumiEnvironment, node: process.version };
}

/** The cached plan JSON for `key`, or undefined. */
export function readCachedPlan(folder: string, key: string): string | undefined {
    return readOrUndefined(path.join(folder, `${key}.json`))?.toString("utf8");
}

/** How long a claim on a plan is honoured: longer than any plan takes, so that a crashed claimant blocks no one for good. */
const CLAIM_TIMEOUT_MS = 120_000;

/**
 * The cached plan for `key`; or, when none is cached, the right to make it (release it when done, stored or not):
 * while another process holds that right (a lock file made with O_EXCL), waits for its plan instead of making the
 * same one at the same time. A claim that fails or times out is taken over, and the plan made again.
 */
export async function claimCachedPlan(folder: string, key: string): Promise<{ cached?: string; release(): void }> {
    const lock = path.join(folder, `${key}.lock`);
    const started = Date.now();
    for (;;) {
        const cached = readCachedPlan(folder, key);
        if (cached !== undefined) return { cached, release: () => undefined };
        try {
            fs.closeSync(fs.openSync(lock, "wx"));
            return { release: () => fs.rmSync(lock, { force: true }) };
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        }
        if (Date.now() - started > CLAIM_TIMEOUT_MS) return { release: () => undefined };
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

/**
 * Stores a plan's JSON unless it could depend on where its files lie (the key holds their bytes, not their paths):
 * output that names a file option's file, its name or its folder, or the working folder, is not stored. Written to
 * a temporary file and renamed, so that a concurrent reader sees all of it or nothing.
 */
export function storeCachedPlan(folder: string, key: string, json: string, args: readonly string[], cwd: string): void {
    const files = args.filter((_, index) => index > 0 && FILE_OPTIONS.has(args[index - 1]!)).map((file) => path.resolve(file));
    const places = [cwd, ...files.flatMap((file) => [file, path.dirname(file), path.basename(file)])];
    if (places.some((place) => place.length > 1 && json.includes(place))) return;
    const temporary = path.join(folder, `${key}.${process.pid}.${++written}.tmp`);
    fs.writeFileSync(temporary, json);
    fs.renameSync(temporary, path.join(folder, `${key}.json`));
}

let written = 0;

function readOrUndefined(file: string): Buffer | undefined {
    try {
        return fs.readFileSync(file);
    } catch {
        return undefined;
    }
}
