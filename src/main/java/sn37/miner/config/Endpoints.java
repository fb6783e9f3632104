package sn37.miner.config;

import java.util.Map;

/**
 * Where the remote services are. Every client takes its base URL from here, so tests point them at loopback
 * fakes. {@code HF_ENDPOINT} and {@code WANDB_BASE_URL}, the variables the Python clients read, win over the
 * configuration keys.
 */
public record Endpoints(String hub, String wandb, Map<String, String> subtensorNetworks) {

    public static Endpoints from(Settings s, Env env) {
        return new Endpoints(
                env.get("HF_ENDPOINT").orElse(s.get("miner.hub.endpoint")),
                env.get("WANDB_BASE_URL").orElse(s.get("miner.wandb.base-url")),
                Map.of("finney", s.get("miner.subtensor.finney"),
                        "test", s.get("miner.subtensor.test"),
                        "local", s.get("miner.subtensor.local")));
    }

    /** {@code --subtensor.chain_endpoint} when given, else the endpoint of {@code --subtensor.network}. */
    public String subtensor(String network, String chainEndpoint) {
        if (chainEndpoint != null) return chainEndpoint;
        String url = subtensorNetworks.get(network);
        if (url == null) {
            throw new ConfigException("unknown --subtensor.network '" + network + "': expected finney, test or local");
        }
        return url;
    }
}
