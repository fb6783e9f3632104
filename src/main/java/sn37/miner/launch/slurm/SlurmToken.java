package sn37.miner.launch.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The JWT that slurmrestd passes on to slurmctld, read fresh from its source on each use so a renewed token is
 * picked up. Never logged, never in a message, never in {@link #toString()}.
 */
final class SlurmToken {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCONTROL_PREFIX = "SLURM_JWT=";

    private final Supplier<String> source;

    SlurmToken(Supplier<String> source) {
        this.source = source;
    }

    /** The token, without the {@code SLURM_JWT=} that {@code scontrol token} prints before it. */
    String value() throws SlurmException {
        String raw = source.get();
        String token = raw == null ? "" : raw.strip();
        if (token.startsWith(SCONTROL_PREFIX)) {
            token = token.substring(SCONTROL_PREFIX.length());
        }
        if (token.isEmpty()) {
            throw new SlurmException(SlurmException.Kind.AUTH, "no Slurm token: set SLURM_JWT to a token made with"
                    + " scontrol token username=<user> lifespan=<seconds>");
        }
        return token;
    }

    /** When the token expires ({@code exp}), if it is a JWT that says. The signature is slurmctld's to check. */
    static Optional<Instant> expiry(String token) {
        JsonNode exp = claims(token).path("exp");
        return exp.canConvertToLong() ? Optional.of(Instant.ofEpochSecond(exp.asLong())) : Optional.empty();
    }

    /** The user the token was made for ({@code sun}, Slurm's user-name claim). */
    static Optional<String> userName(String token) {
        JsonNode sun = claims(token).path("sun");
        return sun.isTextual() && !sun.asText().isBlank() ? Optional.of(sun.asText()) : Optional.empty();
    }

    private static JsonNode claims(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (Exception e) {
            return JSON.missingNode();
        }
    }

    /** {@code text} with the token, should a server echo it, replaced. */
    String scrub(String text) {
        if (text == null) {
            return null;
        }
        try {
            String token = value();
            return token.length() < 8 ? text : text.replace(token, "<token>");
        } catch (SlurmException | RuntimeException e) {
            return text;
        }
    }

    @Override
    public String toString() {
        return "SlurmToken[hidden]";
    }
}
