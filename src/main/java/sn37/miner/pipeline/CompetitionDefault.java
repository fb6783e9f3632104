package sn37.miner.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.chain.ChainException;
import sn37.miner.chain.ChainSettings;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.config.ConfigException;
import sn37.miner.config.Endpoints;
import sn37.miner.config.Env;
import sn37.miner.util.Json;
import sn37.miner.config.Settings;
import sn37.miner.stage.DefaultCompetition;
import sn37.miner.stage.RunParams;

/**
 * The competition of an API or scheduled run whose body names none ({@code miner.competition.default}): with
 * {@code chain}, an online run takes the one live at the chain's current block, as the CLI's do, and records that
 * block as {@code competition_block} before it is queued; with an id, online runs take that id. An offline run, or
 * one that names {@code competition_id} or {@code competition_block}, is left as sent.
 */
final class CompetitionDefault {
    static final String KEY = "miner.competition.default";
    static final String CHAIN = "chain";
    private static final Logger LOG = LoggerFactory.getLogger(CompetitionDefault.class);

    /** Null: read the chain. */
    private final Integer fixed;
    private final Endpoints endpoints;
    private final ChainSettings chain;

    CompetitionDefault(Integer fixed, Endpoints endpoints, ChainSettings chain) {
        this.fixed = fixed;
        this.endpoints = endpoints;
        this.chain = chain;
    }

    static CompetitionDefault from(Settings settings, ChainSettings chain) {
        String v = settings.get(KEY).strip();
        Integer fixed = null;
        if (!v.equals(CHAIN)) {
            fixed = Integer.parseInt(v); // the key's rule admits "chain" or an integer
            if (!CompetitionSchedule.scheduled(fixed)) {
                throw new ConfigException(KEY + " (" + settings.origin(KEY) + "): competition " + fixed + " is in no"
                        + " competition schedule: expected 'chain' or a live competition id (see 'bin/miner"
                        + " competitions')");
            }
        }
        // the subtensor endpoints come from the configuration alone; the environment names only other services
        return new CompetitionDefault(fixed, Endpoints.from(settings, Env.of(Map.of())), chain);
    }

    /** A request body as sent: its JSON object, and the parameters it gives without a default competition. */
    record Request(ObjectNode body, RunParams sent) {
        static Request of(String kind, String body) throws JsonProcessingException {
            RunParams sent = RunApi.parseParams(kind, body); // refuses a bad body before anything else reads it
            ObjectNode tree = body == null || body.isBlank() ? Json.mapper().createObjectNode()
                    : (ObjectNode) Json.mapper().readTree(body);
            return new Request(tree, sent);
        }

        boolean takesDefault() {
            return !sent.offline() && absent("competition_id") && absent("competition_block");
        }

        private boolean absent(String field) {
            JsonNode n = body.get(field);
            return n == null || n.isNull();
        }

        /** The parameters with {@code competition_id} (and {@code competition_block} when not null) filled in. */
        RunParams with(int competitionId, Long competitionBlock) throws JsonProcessingException {
            ObjectNode filled = body.deepCopy();
            filled.put("competition_id", competitionId);
            if (competitionBlock != null) filled.put("competition_block", competitionBlock);
            return Json.strictReader(RunParams.class).readValue(Json.mapper().writeValueAsString(filled));
        }
    }

    /**
     * The parameters a new run is made with.
     *
     * @throws ChainException when the chain decides and its node cannot be read
     */
    RunParams resolve(Request r) throws JsonProcessingException {
        if (!r.takesDefault()) return r.sent();
        if (fixed != null) return r.with(fixed, null);
        String node = DefaultCompetition.endpoint(endpoints, r.sent().subtensorNetwork(),
                r.sent().subtensorChainEndpoint());
        DefaultCompetition.Choice live = DefaultCompetition.read(node, chain);
        LOG.info("run without competition_id: {}", live.describe());
        return r.with(live.id(), live.block());
    }

    /**
     * The parameters {@code r} stands for next to an earlier run's: the same body gets the competition that run was
     * given, so a repeated request is recognised whatever the chain's block is now.
     */
    static RunParams like(Request r, RunParams earlier) throws JsonProcessingException {
        return r.takesDefault() ? r.with(earlier.competitionId(), earlier.competitionBlock()) : r.sent();
    }
}
