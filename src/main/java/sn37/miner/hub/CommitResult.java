package sn37.miner.hub;

/**
 * The commit the branch now points at. {@code created} is false when every file already matched the Hub and no
 * commit was made; {@code commitOid} is then the existing head.
 */
public record CommitResult(String commitOid, String commitUrl, boolean created) {}
