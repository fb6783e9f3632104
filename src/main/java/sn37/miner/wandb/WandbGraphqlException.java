package sn37.miner.wandb;

import java.util.List;

/**
 * A GraphQL answer with {@code errors}, which W&B sends with HTTP 200 too (platform.md §4): the query failed even
 * though the transport succeeded.
 */
public final class WandbGraphqlException extends WandbException {
    private final List<String> errors;

    public WandbGraphqlException(String operation, List<String> errors) {
        super("W&B GraphQL " + operation + " answered with errors: " + String.join("; ", errors)
                + " (the query was refused by the server; if this repeats, check the W&B status page)",
                200, errors.isEmpty() ? null : errors.get(0), null);
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
