package sn37.miner.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Json;
import sn37.miner.run.RunConflictException;
import sn37.miner.run.RunNotFoundException;

/** Turns any exception of an API route into {@code {"error","detail"}} with the right status; never a stack trace. */
public final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    public void handle(Exchange ex) throws JsonProcessingException {
        Throwable e = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        String error;
        String detail;
        if (e instanceof ApiException a) {
            status = a.status();
            error = switch (status) {
                case 401 -> "unauthorized";
                case 403 -> "forbidden";
                case 404 -> "not found";
                case 409 -> "conflict";
                case 415 -> "unsupported media type";
                case 422 -> "unprocessable request";
                case 503 -> "unavailable";
                default -> "bad request";
            };
            detail = a.getMessage();
        } else if (e instanceof RunNotFoundException) {
            status = 404;
            error = "not found";
            detail = e.getMessage();
        } else if (e instanceof RunConflictException) {
            status = 409;
            error = "conflict";
            detail = e.getMessage();
        } else if (e instanceof ValueInstantiationException v && v.getCause() instanceof IllegalArgumentException iae) {
            status = 400;
            error = "invalid parameter";
            detail = iae.getMessage();
        } else if (e instanceof JsonMappingException m) {
            status = 400;
            error = "invalid request body";
            detail = JsonErrorText.of(m);
        } else if (e instanceof JsonProcessingException p) {
            status = 400;
            error = "malformed JSON";
            detail = JsonErrorText.of(p);
        } else if (e instanceof IllegalArgumentException) {
            status = 400;
            error = "invalid parameter";
            detail = e.getMessage();
        } else {
            status = 500;
            error = "internal error";
            detail = "the server could not complete the request; see the server log";
            LOG.error("API request failed", e);
        }
        ex.getMessage().removeHeaders("*");
        ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        ex.getMessage().setBody(Json.mapper().writeValueAsString(new ApiError(error, detail)));
    }
}
