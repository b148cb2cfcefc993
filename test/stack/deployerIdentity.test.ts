import { describe, expect, it } from "vitest";
import { principalTypeFromAccessToken } from "../../core/azure";
import { fakeAccessToken } from "../../offline/runtime";

const token = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

describe("the deployer's principal type, from its access token", () => {
    it("is ServicePrincipal for app-only tokens (service principals and managed identities)", () => {
        expect(principalTypeFromAccessToken(fakeAccessToken("service-principal"))).toBe("ServicePrincipal");
        expect(principalTypeFromAccessToken(token({ idtyp: "app", appid: "x", xms_mirid: "/subscriptions/s/resourcegroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ci" }))).toBe("ServicePrincipal");
        expect(principalTypeFromAccessToken(token({ appid: "x", roles: [] }))).toBe("ServicePrincipal");
    });

    it("is User for delegated tokens, with or without the idtyp claim", () => {
        expect(principalTypeFromAccessToken(fakeAccessToken("user"))).toBe("User");
        expect(principalTypeFromAccessToken(token({ appid: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", scp: "user_impersonation" }))).toBe("User");
    });

    it("says nothing when the token is not a JWT or carries neither signal", () => {
        expect(principalTypeFromAccessToken("not-a-jwt")).toBeUndefined();
        expect(principalTypeFromAccessToken(token({ aud: "x" }))).toBeUndefined();
    });
});
