package org.tamer.routes.mllp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A blocking MLLP (HL7 v2 minimal lower layer protocol) client: frames a message as VT message FS CR, waits for the
 * reply frame and returns it. Over TLS when given an {@link SSLContext}. One message at a time; not thread-safe.
 */
public final class MllpClient implements AutoCloseable {

    public static final byte START_BLOCK = 0x0B;
    public static final byte END_BLOCK = 0x1C;
    public static final byte CARRIAGE_RETURN = 0x0D;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Charset charset;
    private final String peer;

    private MllpClient(Socket socket, Charset charset, String peer) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.charset = charset;
        this.peer = peer;
    }

    /**
     * Connects to {@code host:port}; over TLS when {@code tls} is given, with the host name (or IP address) checked
     * against the server certificate's subject alternative names as HTTPS does (RFC 2818/6125), and SNI sent for
     * a host name. A client certificate is presented when the context holds a key (mutual TLS).
     *
     * @param tls null for plain TCP
     */
    public static MllpClient connect(String host, int port, SSLContext tls, Duration timeout, Charset charset)
            throws IOException {
        Objects.requireNonNull(host, "host");
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, true);
                socket = ssl;
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(parameters);
                ssl.startHandshake();
            }
            return new MllpClient(socket, charset, host + ":" + port);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one message and returns the peer's reply (normally an ACK). */
    public String send(String message) throws IOException {
        write(message);
        return read();
    }

    /** Sends one message without waiting for a reply. */
    public void write(String message) throws IOException {
        byte[] body = message.getBytes(charset);
        byte[] frame = new byte[body.length + 3];
        frame[0] = START_BLOCK;
        System.arraycopy(body, 0, frame, 1, body.length);
        frame[body.length + 1] = END_BLOCK;
        frame[body.length + 2] = CARRIAGE_RETURN;
        out.write(frame);
        out.flush();
    }

    /** Reads one framed reply. */
    public String read() throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream(256);
        int b;
        try {
            do {
                b = in.read();
                if (b < 0) {
                    throw new IOException("MLLP peer " + peer + " closed the connection before replying");
                }
            } while (b != START_BLOCK);
            while (true) {
                b = in.read();
                if (b < 0) {
                    throw new IOException("MLLP peer " + peer + " closed the connection inside a reply frame");
                }
                if (b == END_BLOCK) {
                    int cr = in.read();
                    if (cr != CARRIAGE_RETURN) {
                        throw new IOException("MLLP peer " + peer + " ended a frame with 0x1C 0x"
                                + Integer.toHexString(cr) + " instead of 0x1C 0x0D");
                    }
                    return reply.toString(charset);
                }
                reply.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("MLLP peer " + peer + " sent no reply within " + socket.getSoTimeout() + " ms", e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
