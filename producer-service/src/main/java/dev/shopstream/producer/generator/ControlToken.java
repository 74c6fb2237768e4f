package dev.shopstream.producer.generator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * {@code producer.control-token}: when set, changing the producer (PUT /producer/rate) needs
 * {@code Authorization: Bearer <token>}; reads stay open. Unset, anyone who reaches the service may; the service
 * says which at start. A blank token (empty or only spaces, e.g. a variable set by mistake) is refused at start: it
 * would otherwise silently leave the endpoint open, or protect it with a token nobody can send.
 * The presented token is compared in constant time: both sides are hashed to SHA-256 first, and the digests
 * compared with {@link MessageDigest#isEqual}, so neither the contents nor the length of the token leak
 * through the time an answer takes.
 */
@ApplicationScoped
public class ControlToken {

    static final String SCHEME = "Bearer ";
    static final String KEY = "producer.control-token";
    static final String ENV = "PRODUCER_CONTROL_TOKEN";
    private static final Logger LOG = Logger.getLogger(ControlToken.class);

    private final Optional<byte[]> expected;

    @Inject
    public ControlToken(GeneratorSettings settings) {
        // An empty value reaches the mapping as "not set": ask the configuration for the raw value too.
        this(settings.controlToken().or(ControlToken::emptyButSet));
    }

    ControlToken(Optional<String> token) {
        if (token.isPresent() && token.get().isBlank()) {
            throw new IllegalArgumentException(KEY + " (" + ENV + ") is set but blank: PUT /producer/rate would have no "
                    + "usable token. Set it to a secret (e.g. openssl rand -hex 24), or unset it to leave the endpoint open.");
        }
        this.expected = token.map(ControlToken::digest);
    }

    /**
     * Created at start, before the other start-up observers (a blank token fails the start before traffic flows), and
     * says once whether the control endpoint is protected.
     */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start) {
        if (required()) {
            LOG.infof("PUT /producer/rate is protected: it needs 'Authorization: Bearer <token>' with the token of %s (%s)", KEY, ENV);
        } else {
            LOG.warnf("PUT /producer/rate is open: no %s (%s) is set, so anyone who reaches this service can change the rate", KEY, ENV);
        }
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

    private static Optional<String> emptyButSet() {
        String raw = ConfigProvider.getConfig().getConfigValue(KEY).getRawValue();
        return raw != null && raw.isEmpty() ? Optional.of(raw) : Optional.empty();
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
