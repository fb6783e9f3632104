package sn37.miner.hub;

import java.util.List;

/** The account behind the token; {@code tokenRole} is "read", "write" or "fineGrained" (null when not reported). */
public record WhoAmI(String name, String type, List<String> orgs, String tokenRole) {}
