package sn37.miner.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.config.Json;
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
                case 404 -> "not found";
                case 409 -> "conflict";
                case 415 -> "unsupported media type";
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
            detail = describe(m);
        } else if (e instanceof JsonProcessingException p) {
            status = 400;
            error = "malformed JSON";
            detail = p.getOriginalMessage() + locate(p);
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("detail", detail);
        ex.getMessage().removeHeaders("*");
        ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        ex.getMessage().setBody(Json.mapper().writeValueAsString(body));
    }

    private static String describe(JsonMappingException m) {
        String path = m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        if (m instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "'; known fields: " + u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
        }
        if (m instanceof InvalidFormatException f) {
            return "field '" + path + "' has the wrong type: got " + abbreviate(String.valueOf(f.getValue()))
                    + ", expected " + f.getTargetType().getSimpleName();
        }
        if (m instanceof MismatchedInputException mi && !path.isEmpty()) {
            return "field '" + path + "' has the wrong type: expected " + mi.getTargetType().getSimpleName();
        }
        return m.getOriginalMessage() + locate(m);
    }

    private static String locate(JsonProcessingException p) {
        return p.getLocation() == null ? "" : " (line " + p.getLocation().getLineNr() + ", column "
                + p.getLocation().getColumnNr() + ")";
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
