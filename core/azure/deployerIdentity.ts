/**
 * What kind of Entra ID identity runs `pulumi up`, read from its Azure Resource Manager access token.
 *
 * A role assignment's `principalType` must match the principal, or ARM answers UnmatchedPrincipalType; azure-native
 * fills in "User" when it is left out. Managed identities are service principals in Entra ID, so their assignments
 * take "ServicePrincipal" too (Azure RBAC docs, "Assign Azure roles using Azure Resource Manager templates":
 * principalType is User, Group or ServicePrincipal, and a managed identity is a ServicePrincipal).
 *
 * The token says it: the `idtyp` claim is "app" in app-only tokens (service principals, managed identities) and
 * "user" in delegated ones; tokens without it still differ by `scp`, which only delegated (user) tokens carry
 * (Microsoft identity platform docs, "Access token claims reference" and "Optional claims": idtyp).
 */
export type DeployerPrincipalType = "User" | "ServicePrincipal";

/** The principal type of the identity a JWT access token was issued to, or undefined when the token does not say. */
export function principalTypeFromAccessToken(token: string): DeployerPrincipalType | undefined {
    const claims = decodeJwtPayload(token);
    if (!claims) {
        return undefined;
    }
    if (claims.idtyp === "app") return "ServicePrincipal";
    if (claims.idtyp === "user") return "User";
    if (typeof claims.scp === "string" && claims.scp.length > 0) return "User";
    if (Array.isArray(claims.roles) || typeof claims.appid === "string" || typeof claims.azp === "string") {
        // App-only token: no delegated scopes, only an application id.
        return "ServicePrincipal";
    }
    return undefined;
}

function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
    const parts = token.split(".");
    if (parts.length !== 3) {
        return undefined;
    }
    try {
        const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
        return payload !== null && typeof payload === "object" ? (payload as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}
