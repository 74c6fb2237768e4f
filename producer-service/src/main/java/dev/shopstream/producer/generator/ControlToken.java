package dev.shopstream.producer.generator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code producer.control-token}: when set, changing the producer (PUT /producer/rate) needs
 * {@code Authorization: Bearer <token>}; reads stay open. Unset (the local stack on localhost), anyone may.
 * The presented token is compared in constant time: both sides are hashed to SHA-256 first, and the digests
 * compared with {@link MessageDigest#isEqual}, so neither the contents nor the length of the token leak
 * through the time an answer takes.
 */
@ApplicationScoped
public class ControlToken {

    static final String SCHEME = "Bearer ";

    private final Optional<byte[]> expected;

    @Inject
    public ControlToken(GeneratorSettings settings) {
        this(settings.controlToken());
    }

    ControlToken(Optional<String> token) {
        this.expected = token.filter(t -> !t.isBlank()).map(ControlToken::digest);
    }

    public boolean required() {
        return expected.isPresent();
    }

    /** True when no token is configured, or the header carries exactly the configured one. */
    public boolean allows(String authorization) {
        if (expected.isEmpty()) {
            return true;
        }
        String presented = authorization != null && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                ? authorization.substring(SCHEME.length()).trim() : "";
        return MessageDigest.isEqual(digest(presented), expected.get());
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
