package sn37.miner.hub;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import okhttp3.Response;

/**
 * Turns a failed answer into the right {@link HubException}, with the mapping of huggingface_hub's
 * {@code utils/_http.py hf_raise_for_status} and a message that ends with what to do.
 */
final class HubErrors {
    static final String INVALID_CREDENTIALS = "Invalid credentials in Authorization header";
    private static final String DISABLED = "Access to this resource is disabled.";

    private final HubUrls urls;
    private final HubToken token;

    HubErrors(HubUrls urls, HubToken token) {
        this.urls = urls;
        this.token = token;
    }

    HubException raiseForStatus(Response response, Op op) {
        return raiseForStatus(response, op, 1);
    }

    HubException raiseForStatus(Response response, Op op, int attempts) {
        int status = response.code();
        String code = response.header("X-Error-Code");
        String headerMessage = response.header("X-Error-Message");
        String serverMessage = scrub(headerMessage != null ? headerMessage : bodyMessage(response));
        HubException.Info info = new HubException.Info(op.repo(), status, code, requestId(response), serverMessage);
        String facts = facts(op, attempts, info);
        String repo = op.repo() == null ? "the repo" : op.repo().toString();
        String tokens = urls.endpoint() + "/settings/tokens";

        if (op.commit() && (status == 409 || status == 412)) {
            return new CommitConflictException(facts + " The branch head is no longer the parent commit: if an earlier"
                    + " attempt may have landed, reconcile first; otherwise re-run the upload against the new head.", info);
        }
        if ("RevisionNotFound".equals(code)) {
            return new RevisionNotFoundException(facts + " Check that the branch, tag or commit exists in " + repo + ".", info);
        }
        if ("EntryNotFound".equals(code)) {
            return new EntryNotFoundException(facts + " Check the file path and the revision.", info);
        }
        if ("GatedRepo".equals(code)) {
            return new GatedRepoException(facts + " Accept the access conditions on " + urls.endpoint() + "/" + repo
                    + " with the token's account, then retry.", info);
        }
        if (DISABLED.equals(headerMessage)) {
            return new HubException(facts + " " + repo + " is disabled by the Hub; use another repo.", info);
        }
        if ("RepoNotFound".equals(code)
                || (status == 401 && !INVALID_CREDENTIALS.equals(headerMessage) && op.repo() != null)) {
            return new RepoNotFoundException(facts + " Check the repo id; a private repo is only visible with a token"
                    + " of an account that can read it, and an upload needs the repo created first.", info);
        }
        if (status == 401) {
            return new UnauthorizedException(facts + " The token is invalid: create a new one with write access at "
                    + tokens + " and configure it.", info);
        }
        if (status == 403) {
            return new ForbiddenException(facts + " The token lacks permission for this on " + repo + " (uploads need"
                    + " write access): use a token with the 'write' role, or a fine-grained token with write permission"
                    + " on that namespace, created at " + tokens + ".", info);
        }
        if (status == 429) {
            String limit = RateLimitWait.describe(response);
            return new RateLimitedException(facts + (limit == null ? "" : " Rate limit: " + limit + ".")
                    + " Wait for the window to reset, then retry with fewer requests.", info);
        }
        if (status == 400) {
            return new BadRequestException(facts + " The Hub rejected the request as invalid: fix what the server"
                    + " message names; if the request was well-formed, report it with the request id.", info);
        }
        if (status == 416) {
            return new HubException(facts + " The requested byte range is not satisfiable: delete the partial"
                    + " download and retry.", info);
        }
        if (status >= 500) {
            return new HubException(facts + " The Hub is failing: retry later, and quote the request id to Hugging"
                    + " Face if it persists.", info);
        }
        return new HubException(facts + " Unexpected answer: quote the request id to Hugging Face if it persists.", info);
    }

    /** No answer at all, after every retry. */
    HubException noAnswer(Op op, int attempts, IOException cause) {
        return new HubException(op.describe() + " failed after " + attempts + " attempt" + (attempts > 1 ? "s" : "")
                + " without an answer (no HTTP status, error code or request id): " + scrub(String.valueOf(cause))
                + ". The Hub or the network is unreachable: check connectivity and the endpoint " + urls.endpoint()
                + ", then retry.", HubException.Info.noAnswer(op.repo()), cause);
    }

    static String facts(Op op, int attempts, HubException.Info info) {
        return op.describe() + " failed" + (attempts > 1 ? " after " + attempts + " attempts" : "")
                + ": HTTP " + info.status()
                + ", error code " + (info.errorCode() == null ? "none" : info.errorCode())
                + ", request id " + (info.requestId() == null ? "none" : info.requestId())
                + (info.serverMessage() == null || info.serverMessage().isBlank() ? "" : ": " + info.serverMessage())
                + ".";
    }

    static String requestId(Response response) {
        String id = response.header("X-Request-Id");
        return id != null ? id : response.header("X-Amzn-Trace-Id");
    }

    String scrub(String text) {
        return token == null ? text : token.scrub(text);
    }

    private static String bodyMessage(Response response) {
        String text;
        try {
            text = response.peekBody(8192).string().trim();
        } catch (IOException e) {
            return null;
        }
        if (text.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = HubJson.MAPPER.readTree(text);
            if (node != null && node.isObject()) {
                String error = errorText(node.get("error"));
                String description = HubJson.optionalText(node, "error_description");
                if (error != null) {
                    return description == null ? error : error + " (" + description + ")";
                }
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }

    private static String errorText(JsonNode error) {
        if (error == null || error.isNull()) {
            return null;
        }
        if (error.isArray()) {
            StringBuilder all = new StringBuilder();
            error.forEach(e -> all.append(all.length() == 0 ? "" : "; ").append(e.asText()));
            return all.toString();
        }
        return error.asText();
    }
}
