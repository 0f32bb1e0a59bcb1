package dev.rlhf.backend.account;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Single sign-on: the backend configured for an OIDC provider (its public key given, as a provider's JWKS
 * would), tokens signed by that provider's key. The key pair is made per test run, never stored.
 */
@QuarkusTest
@TestProfile(OidcSignInTest.WithOidc.class)
class OidcSignInTest {

    static final String ISSUER = "https://idp.example.test/realms/rlhf";
    static final KeyPair PROVIDER = rsa();
    static final KeyPair STRANGER = rsa();

    public static class WithOidc implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.public-key", Base64.getEncoder().encodeToString(PROVIDER.getPublic().getEncoded()),
                    "quarkus.oidc.token.issuer", ISSUER,
                    "quarkus.oidc.client-id", "rlhf",
                    "rlhf.auth.password-login", "false");
        }
    }

    @Test
    void aProviderUserGetsAnAccountWithTheRolesOfTheGroupsClaim() {
        String name = unique("ada");
        as(token(name, Set.of("rater"), PROVIDER.getPrivate(), 300)).get("/api/auth/me").then().statusCode(200)
                .body("username", equalTo(name)).body("roles", contains("rater"));
        as(token(name, Set.of("rater"), PROVIDER.getPrivate(), 300)).get("/api/rater/campaigns").then().statusCode(200);
        as(token(name, Set.of("rater"), PROVIDER.getPrivate(), 300)).get("/api/campaigns").then().statusCode(403);
    }

    @Test
    void rolesFollowTheProviderOnTheNextSignInAndTheAccountStaysTheSame() {
        String name = unique("grace");
        String firstId = as(token(name, Set.of("rater"), PROVIDER.getPrivate(), 300)).get("/api/auth/me")
                .then().statusCode(200).extract().path("id");
        as(token(name, Set.of("researcher"), PROVIDER.getPrivate(), 300)).get("/api/auth/me").then().statusCode(200)
                .body("id", equalTo(firstId)).body("roles", contains("researcher"));
        as(token(name, Set.of("researcher"), PROVIDER.getPrivate(), 300)).get("/api/campaigns").then().statusCode(200);
        as(token(name, Set.of("researcher"), PROVIDER.getPrivate(), 300)).get("/api/rater/campaigns").then().statusCode(403);
    }

    @Test
    void tokensNotFromTheProviderOrExpiredAreRejected() {
        String name = unique("mallory");
        as(token(name, Set.of("admin"), STRANGER.getPrivate(), 300)).get("/api/auth/me").then().statusCode(401);
        as(token(name, Set.of("admin"), PROVIDER.getPrivate(), -600)).get("/api/auth/me").then().statusCode(401);
        String wrongIssuer = Jwt.issuer("https://elsewhere.test").claim("preferred_username", name)
                .groups(Set.of("admin")).expiresIn(300).sign(PROVIDER.getPrivate());
        as(wrongIssuer).get("/api/auth/me").then().statusCode(401);
    }

    @Test
    void aProviderUserCannotTakeOverABuiltInAccountOfTheSameName() {
        as(token("admin", Set.of("admin"), PROVIDER.getPrivate(), 300)).get("/api/auth/me").then().statusCode(401);
    }

    @Test
    void passwordLoginIsTurnedOffWithAProblemThatSaysWhereToSignIn() {
        RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", "admin-test-password"))
                .post("/api/auth/login").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("OIDC"));
    }

    @Test
    void anAdminDisablingAProviderUserLocksItOutAtOnce() {
        String admin = token(unique("root"), Set.of("admin"), PROVIDER.getPrivate(), 300);
        String name = unique("eve");
        String eve = token(name, Set.of("rater"), PROVIDER.getPrivate(), 300);
        String eveId = as(eve).get("/api/auth/me").then().statusCode(200).extract().path("id");

        as(admin).body(Map.of("enabled", false)).put("/api/users/" + eveId).then().statusCode(200)
                .body("enabled", equalTo(false));
        as(eve).get("/api/auth/me").then().statusCode(401);
        as(admin).get("/api/users").then().statusCode(200);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String token(String username, Set<String> groups, PrivateKey key, long expiresInSeconds) {
        return Jwt.issuer(ISSUER).subject(UUID.randomUUID().toString()).audience("rlhf")
                .claim("preferred_username", username).groups(groups)
                .issuedAt(System.currentTimeMillis() / 1000 - 60)
                .expiresAt(System.currentTimeMillis() / 1000 + expiresInSeconds).sign(key);
    }

    private static RequestSpecification as(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
