/**
 * `npm run pack:policy -- [--out DIR]`
 * Builds the policy pack as a folder that stands alone (DIR/policy-pack, default dist/policy-pack) and packs it
 * with `npm pack` into DIR/<name>-<version>.tgz.
 *
 * Why: `pulumi policy publish` runs `npm pack` in the pack's folder and uploads that tarball; wherever the pack
 * is enforced, the CLI extracts it and installs its dependencies with the package manager
 * (pulumi/pulumi pkg/backend/httpstate/policypack.go: Publish, installRequiredPolicy). policy-pack/ imports
 * ../core and ../reach, which `npm pack` of policy-pack/ would leave behind. So the pack's TypeScript is
 * bundled with esbuild: every relative import is inlined, whatever the policies import (found by esbuild,
 * never listed here), and every npm package stays an import, installed from the pack's declared dependencies.
 *
 * The folder holds:
 * - policies.js: policy-pack/policies.ts and everything it imports from the project; it constructs nothing;
 * - index.js: policy-pack/index.ts, which constructs the PolicyPack, requiring ./policies.js (one copy);
 * - package.json: policy-pack/package.json's name, version (the only place the version lives; the policy SDK
 *   reads it from package.json when the pack starts) and dependencies, with main index.js;
 * - npm-shrinkwrap.json: policy-pack/package-lock.json without its dev-only entries, so every install of the
 *   pack gets the versions its tests ran with (`npm pack` keeps npm-shrinkwrap.json, never package-lock.json);
 * - PulumiPolicy.yaml.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import { build, type Metafile, type Plugin } from "esbuild";
import { CommandOutput, runAsProcess } from "./common/command";
import { CommandContext, CommandSpec, parseCommandLine, processContext } from "./common/commandLine";

/** pack:policy's command line: its options, help and examples (an npm script only: it needs the dev dependencies). */
export const PACK_POLICY: CommandSpec = {
    name: "pack:policy",
    summary: "build the policy pack as a folder that stands alone and pack it for pulumi policy publish",
    description:
        "Bundles policy-pack/ with what it imports from the project (esbuild) into DIR/policy-pack, with its package.json, " +
        "an npm-shrinkwrap.json from its lock file and PulumiPolicy.yaml, and packs it with npm pack into " +
        "DIR/<name>-<version>.tgz; prints the tarball's path. Publish the folder with pulumi policy publish (policy-pack/README.md).",
    options: [{ name: "out", value: "DIR", description: "where the folder and the tarball are written (default: the project's dist/)", example: "--out /tmp/pack" }],
    examples: ["                  # dist/policy-pack and dist/aks-zero-trust-policy-pack-<version>.tgz", "--out /tmp/pack   # elsewhere"],
};

/** The pack cannot be built as it stands (a missing dependency, a stale lock file, an import esbuild cannot resolve). */
export class PolicyPackBuildError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyPackBuildError";
    }
}

/** What a build wrote. */
export interface PolicyPackBuild {
    /** The folder `npm pack` packed (what `pulumi policy publish` is run in). */
    readonly folder: string;
    /** The tarball. */
    readonly tarball: string;
    readonly name: string;
    readonly version: string;
    /** The files inside the tarball, relative to its root, sorted. */
    readonly files: readonly string[];
}

interface Manifest {
    readonly name?: string;
    readonly version?: string;
    readonly description?: string;
    readonly license?: string;
    readonly engines?: Record<string, string>;
    readonly dependencies?: Record<string, string>;
    readonly allowScripts?: Record<string, boolean>;
}

interface LockEntry {
    readonly dev?: boolean;
    readonly devOptional?: boolean;
    readonly [key: string]: unknown;
}

interface LockFile {
    readonly lockfileVersion?: number;
    readonly packages?: Record<string, LockEntry>;
    readonly [key: string]: unknown;
}

/** The files the built folder holds, besides package.json (npm always packs it). */
export const PACK_FILES = ["PulumiPolicy.yaml", "index.js", "npm-shrinkwrap.json", "policies.js"] as const;

/** The project folder: the nearest ancestor that holds policy-pack/package.json. */
export function findProjectDir(start: string = __dirname): string {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "policy-pack", "package.json"))) return dir;
        if (path.dirname(dir) === dir) throw new PolicyPackBuildError(`no policy-pack/package.json above ${start}`);
    }
}

function readJson<T>(file: string): T {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as T;
    } catch (error) {
        throw new PolicyPackBuildError(`${file}: ${(error as Error).message}`);
    }
}

/** The npm package a bare import names (`@pulumi/policy` for `@pulumi/policy/x`), undefined for a Node.js built-in. */
export function npmPackageOf(specifier: string): string | undefined {
    const [first, second] = specifier.split("/");
    if (specifier.startsWith("node:") || builtinModules.includes(first)) return undefined;
    return first.startsWith("@") ? `${first}/${second}` : first;
}

/**
 * Every import left in the built files must be a declared dependency of the pack, a Node.js built-in, or the
 * entry's ./policies.js: an install brings nothing else. Reads what the output requires (esbuild also lists
 * type-only imports it dropped among an input's imports) and names the source files that import it.
 */
export function undeclaredImports(metafile: Metafile, dependencies: Readonly<Record<string, string>>): string[] {
    const required = new Set(Object.values(metafile.outputs).flatMap((output) => output.imports.filter((entry) => entry.external).map((entry) => entry.path)));
    const importers = (specifier: string) =>
        Object.entries(metafile.inputs)
            .filter(([, input]) => input.imports.some((entry) => entry.external && entry.path === specifier))
            .map(([file]) => file)
            .sort()
            .join(", ") || "the bundle";
    const problems: string[] = [];
    for (const specifier of [...required].sort()) {
        if (specifier === "./policies.js") continue;
        if (specifier.startsWith(".") || path.isAbsolute(specifier)) {
            problems.push(`${importers(specifier)} import ${JSON.stringify(specifier)}, a path outside the built pack`);
            continue;
        }
        const name = npmPackageOf(specifier);
        if (name !== undefined && !(name in dependencies)) {
            problems.push(`${importers(specifier)} import ${JSON.stringify(specifier)}, but ${JSON.stringify(name)} is not in policy-pack/package.json dependencies: add it there (same range as the project's package.json) and run npm install in policy-pack/`);
        }
    }
    return problems;
}

/** policy-pack/package-lock.json for an install without dev dependencies, checked against the manifest. */
export function shrinkwrapFrom(lock: LockFile, manifest: Manifest): LockFile {
    const root = lock.packages?.[""];
    if (!lock.packages || !root || (lock.lockfileVersion ?? 0) < 2) {
        throw new PolicyPackBuildError("policy-pack/package-lock.json is missing or older than lockfileVersion 2: run npm install in policy-pack/");
    }
    const locked = JSON.stringify(Object.entries((root.dependencies ?? {}) as Record<string, string>).sort());
    const declared = JSON.stringify(Object.entries(manifest.dependencies ?? {}).sort());
    if (locked !== declared) {
        throw new PolicyPackBuildError(`policy-pack/package-lock.json does not match policy-pack/package.json dependencies (locked ${locked}, declared ${declared}): run npm install in policy-pack/`);
    }
    const packages: Record<string, LockEntry> = {};
    for (const [key, entry] of Object.entries(lock.packages)) {
        if (key === "") {
            const { devDependencies: _dev, ...rest } = entry as LockEntry & { devDependencies?: unknown };
            packages[key] = { ...rest, name: manifest.name, version: manifest.version };
        } else if (!entry.dev && !entry.devOptional) {
            packages[key] = entry;
        }
    }
    return { ...lock, name: manifest.name, version: manifest.version, packages };
}

/** index.ts's import of ./policies stays an import of the built policies.js, so the policies exist once. */
function entryImportsBuiltPolicies(indexFile: string): Plugin {
    return {
        name: "entry-imports-built-policies",
        setup(builder) {
            builder.onResolve({ filter: /^\.\/policies$/ }, (args) => (path.resolve(args.importer) === indexFile ? { path: "./policies.js", external: true } : undefined));
        },
    };
}

function writeJson(file: string, value: unknown): void {
    fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Builds DIR/policy-pack and packs it into DIR. Deterministic: the same sources give the same files. */
export async function buildPolicyPack(options: { readonly projectDir?: string; readonly outDir: string }): Promise<PolicyPackBuild> {
    const projectDir = options.projectDir ?? findProjectDir();
    const sourceDir = path.join(projectDir, "policy-pack");
    const manifest = readJson<Manifest>(path.join(sourceDir, "package.json"));
    if (!manifest.name || !manifest.version) throw new PolicyPackBuildError("policy-pack/package.json needs a name and a version");
    const dependencies = manifest.dependencies ?? {};
    const shrinkwrap = shrinkwrapFrom(readJson<LockFile>(path.join(sourceDir, "package-lock.json")), manifest);

    const outDir = path.resolve(options.outDir);
    const folder = path.join(outDir, "policy-pack");
    fs.rmSync(folder, { recursive: true, force: true });
    fs.mkdirSync(folder, { recursive: true });

    const indexFile = path.join(sourceDir, "index.ts");
    const banner = `// ${manifest.name} ${manifest.version}: built from policy-pack/ by \`npm run pack:policy\`; edit the sources, not this file.`;
    const result = await build({
        absWorkingDir: projectDir,
        entryPoints: { policies: path.join(sourceDir, "policies.ts"), index: indexFile },
        outdir: folder,
        bundle: true,
        platform: "node",
        format: "cjs",
        target: `node${(manifest.engines?.node ?? ">=20").replace(/^>=\s*/, "").split(".")[0]}`,
        // npm packages stay imports: the pack's install provides them (checked below against its dependencies).
        packages: "external",
        plugins: [entryImportsBuiltPolicies(indexFile)],
        banner: { js: banner },
        keepNames: true,
        metafile: true,
        logLevel: "silent",
    }).catch((error: { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }) => {
        const messages = (error.errors ?? []).map((message) => (message.location ? `${message.location.file}:${message.location.line}: ${message.text}` : message.text));
        throw new PolicyPackBuildError(`esbuild could not bundle the pack:\n${messages.join("\n") || String(error)}`);
    });

    const problems = undeclaredImports(result.metafile, dependencies);
    const indexOutput = Object.values(result.metafile.outputs).find((output) => output.entryPoint !== undefined && path.resolve(projectDir, output.entryPoint) === indexFile);
    const indexInputs = Object.keys(indexOutput?.inputs ?? {}).filter((input) => path.resolve(projectDir, input) !== indexFile);
    if (indexInputs.length > 0) {
        problems.push(`policy-pack/index.ts may import only ./policies and npm packages (anything else would be a second copy next to policies.js); it bundles ${indexInputs.join(", ")}`);
    }
    if (problems.length > 0) throw new PolicyPackBuildError(`the pack does not stand alone:\n- ${problems.join("\n- ")}`);

    writeJson(path.join(folder, "package.json"), {
        name: manifest.name,
        version: manifest.version,
        // Never to the npm registry: the pack is published with `pulumi policy publish`.
        private: true,
        description: manifest.description,
        license: manifest.license,
        engines: manifest.engines,
        main: "index.js",
        files: [...PACK_FILES],
        dependencies,
        // npm 11 warns about every dependency install script not decided here; the pack's install needs none.
        allowScripts: manifest.allowScripts,
    });
    writeJson(path.join(folder, "npm-shrinkwrap.json"), shrinkwrap);
    fs.copyFileSync(path.join(sourceDir, "PulumiPolicy.yaml"), path.join(folder, "PulumiPolicy.yaml"));

    const packed = JSON.parse(execFileSync("npm", ["pack", folder, "--pack-destination", outDir, "--json", "--loglevel=error"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const [tarball] = packed;
    return {
        folder,
        tarball: path.join(outDir, tarball.filename),
        name: manifest.name,
        version: manifest.version,
        files: tarball.files.map((file) => file.path).sort(),
    };
}

/** Builds and packs the pack; returns the exit code (see EXIT_CODES). */
export async function packPolicyCommand(argv: string[], output: CommandOutput, context: CommandContext = processContext()): Promise<number> {
    const parsed = parseCommandLine(PACK_POLICY, argv, context, output.out);
    if (!parsed) return 0;
    const projectDir = findProjectDir();
    const out = parsed.values.out as string | undefined;
    const built = await buildPolicyPack({ projectDir, outDir: path.resolve(out ?? path.join(projectDir, "dist")) });
    output.out(`${path.relative(process.cwd(), built.tarball)}\n`);
    output.err(`built ${built.name} ${built.version} in ${path.relative(process.cwd(), built.folder)} (${built.files.join(", ")})\n`);
    return 0;
}

// Run only when executed directly (npm run pack:policy), not when a test imports it.
if (require.main === module) {
    void runAsProcess(packPolicyCommand, [PolicyPackBuildError]);
}
