/**
 * Runs the policy pack the way the Pulumi CLI does for a Node.js pack, minus the CLI: starts
 * `@pulumi/pulumi/cmd/run-policy-pack` in policy-pack/ (ts-node with the pack's tsconfig, type-checked),
 * reads the port it prints, and talks to its Analyzer gRPC service with the pack's own protocol modules.
 * Needs `npm ci` in policy-pack/ (CI does it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { CapturedResource } from "../../offline/runtime";

export const PACK_DIR = path.resolve(__dirname, "..", "..", "policy-pack");

/** Loads a module from the pack's own node_modules (untyped: the pack's protocol and gRPC libraries). */
function packModule(name: string, packDir: string): any {
    const file = path.join(packDir, "node_modules", name);
    if (!fs.existsSync(path.join(packDir, "node_modules"))) {
        throw new Error(`${packDir}/node_modules is missing: run "npm ci" there`);
    }
    return require(file);
}

/** CrossGuard's enforcement levels on the wire. */
export const WIRE_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;

/** A diagnostic the pack returned. */
export interface Diagnostic {
    readonly policy: string;
    readonly level: (typeof WIRE_LEVELS)[number];
    readonly message: string;
    readonly urn: string;
}

/** A resource as the engine sends it. */
export interface WireResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Record<string, unknown>;
    readonly protect: boolean;
}

/** A captured resource as the engine sends it (JSON values only: the engine never sends undefined). */
export function wireResource(resource: CapturedResource, urn: string, props: Record<string, unknown> = resource.inputs): WireResource {
    return { type: resource.type, name: resource.name, urn, props: JSON.parse(JSON.stringify(props)) as Record<string, unknown>, protect: resource.protect };
}

/** A running policy pack process and a client for it. */
export class RunningPolicyPack {
    private readonly messages: any;
    private readonly struct: any;
    private readonly empty: any;

    private constructor(private readonly process: ChildProcess, private readonly client: any, packDir: string) {
        this.messages = packModule("@pulumi/pulumi/proto/analyzer_pb.js", packDir);
        this.struct = packModule("google-protobuf/google/protobuf/struct_pb.js", packDir);
        this.empty = packModule("google-protobuf/google/protobuf/empty_pb.js", packDir);
    }

    /**
     * Starts the pack in packDir (policy-pack/, or a built and installed pack) with the environment variables
     * the CLI would set, and waits for its port.
     */
    static async start(variables: Record<string, string>, packDir: string = PACK_DIR): Promise<RunningPolicyPack> {
        const grpc = packModule("@grpc/grpc-js", packDir);
        const services = packModule("@pulumi/pulumi/proto/analyzer_grpc_pb.js", packDir);
        const runner = path.join(packDir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
        const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: packDir, env: { ...process.env, ...variables }, stdio: ["ignore", "pipe", "pipe"] });
        let errors = "";
        child.stderr!.on("data", (chunk) => (errors += String(chunk)));
        const port = await new Promise<string>((resolve, reject) => {
            child.stdout!.once("data", (chunk) => resolve(String(chunk).trim()));
            child.once("exit", (code) => reject(new Error(`the policy pack exited with ${code} before serving:\n${errors}`)));
        });
        return new RunningPolicyPack(child, new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()), packDir);
    }

    stop(): void {
        this.client.close();
        this.process.kill();
    }

    private call<T>(method: string, request: unknown): Promise<T> {
        return new Promise((resolve, reject) => this.client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))));
    }

    /** The pack's name and version, and its policies with their default levels and config schema properties. */
    async info(): Promise<{ name: string; version: string; policies: Array<{ name: string; level: string; config: string[] }> }> {
        const response: any = await this.call("getAnalyzerInfo", new this.empty.Empty());
        return {
            name: response.getName(),
            // The pack's version: the policy SDK reads it from package.json in the pack's folder.
            version: response.getVersion(),
            policies: response.getPoliciesList().map((policy: any) => ({
                name: policy.getName(),
                level: WIRE_LEVELS[policy.getEnforcementlevel()],
                config: policy.hasConfigschema() ? Object.keys(policy.getConfigschema().getProperties().toJavaScript()) : [],
            })),
        };
    }

    /** Sends pack config, as the CLI does with `--policy-pack-config`. */
    async configure(config: Record<string, { enforcementLevel: (typeof WIRE_LEVELS)[number]; properties?: Record<string, unknown> }>): Promise<void> {
        const request = new this.messages.ConfigureAnalyzerRequest();
        const map = request.getPolicyconfigMap();
        for (const [name, entry] of Object.entries(config)) {
            const policyConfig = new this.messages.PolicyConfig();
            policyConfig.setEnforcementlevel(WIRE_LEVELS.indexOf(entry.enforcementLevel));
            policyConfig.setProperties(this.struct.Struct.fromJavaScript(entry.properties ?? {}));
            map.set(name, policyConfig);
        }
        await this.call("configure", request);
    }

    private options(resource: WireResource): any {
        const options = new this.messages.AnalyzerResourceOptions();
        options.setProtect(resource.protect);
        return options;
    }

    /** Resource policies on one resource (as during preview/update, before the resource is written). */
    async analyze(resource: WireResource): Promise<Diagnostic[]> {
        const request = new this.messages.AnalyzeRequest();
        request.setType(resource.type);
        request.setName(resource.name);
        request.setUrn(resource.urn);
        request.setProperties(this.struct.Struct.fromJavaScript(resource.props));
        request.setOptions(this.options(resource));
        return this.diagnostics(await this.call("analyze", request));
    }

    /** Stack policies on all resources (as at the end of a preview or update). */
    async analyzeStack(resources: readonly WireResource[]): Promise<Diagnostic[]> {
        const request = new this.messages.AnalyzeStackRequest();
        request.setResourcesList(resources.map((resource) => {
            const wire = new this.messages.AnalyzerResource();
            wire.setType(resource.type);
            wire.setName(resource.name);
            wire.setUrn(resource.urn);
            wire.setProperties(this.struct.Struct.fromJavaScript(resource.props));
            wire.setOptions(this.options(resource));
            return wire;
        }));
        return this.diagnostics(await this.call("analyzeStack", request));
    }

    private diagnostics(response: any): Diagnostic[] {
        return response.getDiagnosticsList().map((diagnostic: any) => ({
            policy: diagnostic.getPolicyname(),
            level: WIRE_LEVELS[diagnostic.getEnforcementlevel()],
            // The SDK prefixes the policy's description; keep the violation itself.
            message: String(diagnostic.getMessage()).split("\n").slice(1).join("\n"),
            urn: diagnostic.getUrn(),
        }));
    }

    /** The policy SDK's version, as the CLI asks for it. */
    async pluginVersion(): Promise<string> {
        const response: any = await this.call("getPluginInfo", new this.empty.Empty());
        return response.getVersion();
    }
}
