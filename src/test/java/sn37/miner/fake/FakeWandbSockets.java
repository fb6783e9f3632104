package sn37.miner.fake;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;

/**
 * Server sockets whose accepted connections have TCP_NODELAY set. MockWebServer writes a response's headers and body
 * separately; without it Nagle's algorithm holds the body until the client's delayed ACK, about 40 ms per request
 * on Linux loopback, which would make the fakes measure the kernel instead of the client.
 */
final class FakeWandbSockets extends ServerSocketFactory {
    static final FakeWandbSockets NO_DELAY = new FakeWandbSockets();

    private static final class NoDelayServerSocket extends ServerSocket {
        NoDelayServerSocket() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            Socket s = new Socket();
            implAccept(s);
            s.setTcpNoDelay(true);
            return s;
        }
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new NoDelayServerSocket();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return bound(port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return bound(port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        return bound(port, backlog, address);
    }

    private static ServerSocket bound(int port, int backlog, InetAddress address) throws IOException {
        ServerSocket s = new NoDelayServerSocket();
        s.bind(new java.net.InetSocketAddress(address, port), backlog);
        return s;
    }
}
