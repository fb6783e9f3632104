package sn37.miner.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;
import sn37.miner.config.PipelineSettings;

/** Mutating API calls need {@code Authorization: Bearer <pipeline.api.token>} unless the server is loopback-only. */
public final class ApiAuth {
    private final PipelineSettings settings;

    ApiAuth(PipelineSettings settings) {
        this.settings = settings;
    }

    public void check(Exchange ex) {
        if (!settings.apiNeedsToken()) return;
        String header = ex.getIn().getHeader("Authorization", String.class);
        byte[] expected = ("Bearer " + settings.apiToken().orElseThrow().reveal()).getBytes(StandardCharsets.UTF_8);
        byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new ApiException(401, "this call needs the header 'Authorization: Bearer <pipeline.api.token>'");
        }
    }
}
