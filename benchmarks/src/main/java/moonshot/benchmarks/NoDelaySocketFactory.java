package moonshot.benchmarks;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * TCP_NODELAY for sshj, as executor-service's: without it Nagle's algorithm adds ~80 ms per command (FACTS.md), and
 * the sequential mode should be measured on the same footing as the product.
 */
final class NoDelaySocketFactory extends SocketFactory {

    @Override
    public Socket createSocket() throws IOException {
        var socket = new Socket();
        socket.setTcpNoDelay(true);
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return configured(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return configured(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return configured(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return configured(new Socket(address, port, localAddress, localPort));
    }

    private static Socket configured(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }
}
