package sn37.miner.chain.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.chain.ChainConnectionException;
import sn37.miner.chain.ChainException;
import sn37.miner.chain.ChainTimeoutException;
import sn37.miner.chain.RpcErrorException;

/**
 * JSON-RPC 2.0 over one WebSocket to a Substrate node (OkHttp). Requests carry increasing ids and wait at most
 * {@link RpcSettings#requestTimeout()}; subscriptions get their notifications by subscription id. A closed or
 * failed connection fails what was in flight and is reopened on the next call, with exponential backoff.
 * {@link #call} retries a read on a fresh connection; {@link #callOnce} and {@link #subscribe} never resend.
 */
public final class RpcClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RpcClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OkHttpClient BASE = new OkHttpClient();
    private static final int MAX_EARLY_NOTIFICATIONS = 64;

    private final String url;
    private final String safeUrl;
    private final OkHttpClient http;
    private final RpcSettings options;
    private final AtomicLong ids = new AtomicLong();
    private final Object connectLock = new Object();
    private volatile Connection current;
    private volatile boolean closed;

    public RpcClient(String url, RpcSettings options) {
        if (url == null || !url.matches("(?i)wss?://\\S+")) {
            throw new IllegalArgumentException("Subtensor endpoint must be a ws:// or wss:// URL, got '" + redact(url) + "'");
        }
        this.url = url;
        this.safeUrl = redact(url);
        this.options = options;
        // readTimeout 0: a WebSocket idles between blocks; pings detect a dead peer instead.
        // Its own dispatcher and pool, so that close() can release their threads without touching other clients'.
        this.http = BASE.newBuilder()
                .dispatcher(new Dispatcher())
                .connectionPool(new ConnectionPool())
                .connectTimeout(options.connectTimeout())
                .readTimeout(Duration.ZERO)
                .pingInterval(options.pingInterval())
                .build();
    }

    /** The endpoint without credentials or query, fit for messages and logs. */
    public String endpoint() {
        return safeUrl;
    }

    public RpcSettings options() {
        return options;
    }

    /** A read: when the connection drops before the answer, it is asked again on a new connection. */
    public JsonNode call(String method, Object... params) {
        List<Object> list = Arrays.asList(params);
        ChainConnectionException last = null;
        for (int attempt = 0; attempt < options.reconnectAttempts(); attempt++) {
            Connection c = connection(); // retries the connect itself; failing that, the call fails
            try {
                return c.request(method, list, null);
            } catch (ChainConnectionException e) {
                last = e;
                LOG.info("{} to {}: {}; asking again on a new connection", method, safeUrl, e.getMessage());
            }
        }
        throw last;
    }

    /** Sent exactly once: a lost connection leaves its outcome unknown and is reported as such. */
    public JsonNode callOnce(String method, Object... params) {
        return connection().request(method, Arrays.asList(params), null);
    }

    /** Opens a subscription; notifications arrive on the reader thread until it closes or the connection drops. */
    public Subscription subscribe(String method, List<?> params, String unsubscribeMethod, SubscriptionListener listener) {
        Connection c = connection();
        String id = c.request(method, params, listener).asText();
        return new Subscription() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public void close() {
                if (c.subscriptions.remove(id) != null && !c.dead) {
                    try {
                        c.request(unsubscribeMethod, List.of(id), null);
                    } catch (ChainException e) {
                        LOG.debug("{} {} on {}: {}", unsubscribeMethod, id, safeUrl, e.getMessage());
                    }
                }
            }
        };
    }

    /**
     * Closes the WebSocket and releases OkHttp's threads: the dispatcher's (not daemons: idle, they would keep the
     * JVM alive for a minute) end once the socket's reader returns, and pooled connections are evicted.
     */
    @Override
    public void close() {
        closed = true;
        Connection c = current;
        if (c != null) {
            if (!c.socket.close(1000, "client closed")) c.socket.cancel();
            c.kill("was closed by this client", null);
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private Connection connection() {
        Connection c = current;
        if (c != null && c.isOpen()) {
            return c;
        }
        synchronized (connectLock) {
            c = current;
            if (c != null && c.isOpen()) {
                return c;
            }
            ChainConnectionException last = null;
            for (int attempt = 0; attempt < options.reconnectAttempts(); attempt++) {
                if (closed) {
                    throw new ChainConnectionException("the client for " + safeUrl + " is closed", null);
                }
                if (attempt > 0) {
                    sleep(options.backoff(attempt - 1));
                }
                try {
                    c = open();
                    current = c;
                    return c;
                } catch (ChainConnectionException e) {
                    last = e;
                    LOG.warn("connection attempt {} of {} to {} failed: {}", attempt + 1, options.reconnectAttempts(),
                            safeUrl, e.getMessage());
                }
            }
            throw new ChainConnectionException("cannot connect to the Subtensor node at " + safeUrl + " after "
                    + options.reconnectAttempts() + " attempts (" + last.getMessage() + "); check that the node is up"
                    + " and that --subtensor.network / --subtensor.chain_endpoint point at it", last);
        }
    }

    private Connection open() {
        Connection c = new Connection();
        c.socket = http.newWebSocket(new Request.Builder().url(url).build(), c);
        try {
            c.opened.get(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return c;
        } catch (TimeoutException e) {
            c.socket.cancel();
            throw new ChainConnectionException("no WebSocket handshake within " + options.connectTimeout(), e);
        } catch (ExecutionException e) {
            throw new ChainConnectionException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.socket.cancel();
            throw new ChainConnectionException("interrupted while connecting", e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainConnectionException("interrupted while waiting to reconnect", e);
        }
    }

    /** scheme://host:port/path: drops user info and query, where providers put API keys. */
    static String redact(String url) {
        if (url == null) {
            return "null";
        }
        try {
            URI u = URI.create(url.strip());
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            return "(unparseable URL)";
        }
    }

    private record Pending(String method, SubscriptionListener listener, CompletableFuture<JsonNode> future) {}

    /** One WebSocket and what is waiting on it. Callbacks run on OkHttp's reader thread for this socket. */
    private final class Connection extends WebSocketListener {
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        final Map<Long, Pending> pending = new ConcurrentHashMap<>();
        final Map<String, SubscriptionListener> subscriptions = new ConcurrentHashMap<>();
        final Map<String, List<JsonNode>> early = new HashMap<>();
        volatile WebSocket socket;
        volatile boolean dead;

        boolean isOpen() {
            return !dead && opened.isDone() && !opened.isCompletedExceptionally();
        }

        JsonNode request(String method, List<?> params, SubscriptionListener listener) {
            long id = ids.incrementAndGet();
            Pending p = new Pending(method, listener, new CompletableFuture<>());
            pending.put(id, p);
            ObjectNode frame = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
            ArrayNode array = frame.putArray("params");
            params.forEach(v -> array.add(JSON.valueToTree(v)));
            if (dead || !socket.send(frame.toString())) {
                pending.remove(id);
                throw new ChainConnectionException("connection to " + safeUrl + " is closing; " + method + " was not sent", null);
            }
            try {
                return p.future.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                pending.remove(id);
                throw new ChainTimeoutException(method + " got no answer from " + safeUrl + " within "
                        + options.requestTimeout().toSeconds() + " s");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ChainException ce) {
                    throw ce;
                }
                throw new ChainException(method + " failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainException("interrupted while waiting for " + method, e);
            }
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            opened.complete(null);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (Exception e) {
                LOG.warn("unreadable frame from {} ignored: {}", safeUrl, e.getMessage());
                return;
            }
            dispatch(message);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
            kill("was closed by the node (" + code + (reason.isEmpty() ? "" : " " + reason) + ")", null);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            kill("was closed (" + code + ")", null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            String why = response != null ? "HTTP " + response.code() + " on the WebSocket upgrade" : t.toString();
            opened.completeExceptionally(new ChainConnectionException(why, t));
            kill("failed: " + why, t);
        }

        private void dispatch(JsonNode message) {
            JsonNode id = message.get("id");
            if (id != null && id.canConvertToLong() && (message.has("result") || message.has("error"))) {
                Pending p = pending.remove(id.asLong());
                if (p == null) {
                    return; // its caller timed out already
                }
                JsonNode error = message.get("error");
                if (error != null && !error.isNull()) {
                    JsonNode data = error.get("data");
                    p.future.completeExceptionally(new RpcErrorException(p.method, error.path("code").asInt(),
                            error.path("message").asText(), data == null || data.isNull() ? null : data.toString()));
                    return;
                }
                JsonNode result = message.get("result");
                if (p.listener != null) {
                    // Registered here, on the reader thread, so no notification can overtake the registration.
                    String subscription = result.asText();
                    subscriptions.put(subscription, p.listener);
                    List<JsonNode> buffered = early.remove(subscription);
                    if (buffered != null) {
                        buffered.forEach(p.listener::onNotification);
                    }
                }
                p.future.complete(result);
                return;
            }
            JsonNode params = message.get("params");
            if (message.has("method") && params != null && params.has("subscription")) {
                String subscription = params.get("subscription").asText();
                SubscriptionListener listener = subscriptions.get(subscription);
                if (listener != null) {
                    listener.onNotification(params.get("result"));
                } else {
                    List<JsonNode> buffered = early.computeIfAbsent(subscription, k -> new ArrayList<>());
                    if (buffered.size() < MAX_EARLY_NOTIFICATIONS) {
                        buffered.add(params.get("result"));
                    }
                }
            }
        }

        void kill(String why, Throwable cause) {
            if (dead) {
                return;
            }
            dead = true;
            ChainConnectionException e = new ChainConnectionException("the connection to the Subtensor node at "
                    + safeUrl + " " + why, cause);
            opened.completeExceptionally(e);
            pending.values().forEach(p -> p.future.completeExceptionally(e));
            pending.clear();
            List<SubscriptionListener> listeners = new ArrayList<>(subscriptions.values());
            subscriptions.clear();
            listeners.forEach(l -> l.onDisconnect(e));
            if (current == this) {
                current = null;
            }
        }
    }
}
