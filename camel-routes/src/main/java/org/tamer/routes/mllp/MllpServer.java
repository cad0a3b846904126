package org.tamer.routes.mllp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tamer.routes.route.Hl7Intake;

/**
 * An MLLP listener (HL7 v2 minimal lower layer protocol) built for senders that misbehave: every frame gets its
 * answer in the order received, idle connections are closed, and a full listener makes room for a new sender by
 * closing the connection idle the longest, so idle sockets can never starve a sender with something to say.
 *
 * <p>Nothing a frame contains is logged: log lines name the peer, sizes and the reason only, since HL7 messages carry
 * patient names and identifiers.
 */
public final class MllpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MllpServer.class);

    /**
     * @param maxFrameBytes         the largest message passed on; a larger one is answered with the intake's reject
     * @param maxConnections        connections open at once
     * @param maxConnectionsPerPeer connections open at once from one IP address
     * @param idleTimeout           how long a connection may wait between frames before it is closed
     * @param frameTimeout          how long a frame may take from its start block to its end block
     */
    public record Limits(int maxFrameBytes, int maxConnections, int maxConnectionsPerPeer, Duration idleTimeout,
                         Duration frameTimeout) {

        public Limits {
            if (maxFrameBytes < 1 || maxConnections < 1 || maxConnectionsPerPeer < 1) {
                throw new IllegalArgumentException("MLLP limits must be positive: " + maxFrameBytes + " bytes, "
                        + maxConnections + " connections, " + maxConnectionsPerPeer + " per peer");
            }
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(frameTimeout, "frameTimeout");
            if (idleTimeout.isNegative() || idleTimeout.isZero() || frameTimeout.isNegative()
                    || frameTimeout.isZero()) {
                throw new IllegalArgumentException("MLLP timeouts must be positive");
            }
        }
    }

    /**
     * TLS on the listener.
     *
     * @param clientAuth NONE, WANT or REQUIRE (mutual TLS)
     */
    public record Tls(SSLContext context, String clientAuth) {

        public Tls {
            Objects.requireNonNull(context, "context");
            if (!List.of("NONE", "WANT", "REQUIRE").contains(clientAuth)) {
                throw new IllegalArgumentException("client auth must be NONE, WANT or REQUIRE: " + clientAuth);
            }
        }
    }

    private final Limits limits;
    private final Hl7Intake intake;
    private final ServerSocket server;
    private final ExecutorService connections;
    private final Thread acceptor;
    private final List<Connection> open = new ArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile boolean closing;

    private MllpServer(ServerSocket server, Limits limits, Hl7Intake intake) {
        this.server = server;
        this.limits = limits;
        this.intake = intake;
        this.connections = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "mllp-connection-" + sequence.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.acceptor = new Thread(this::acceptLoop, "mllp-accept-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds {@code host:port} (port 0: any free port) and starts accepting.
     *
     * @param tls empty for plain TCP
     */
    public static MllpServer start(String host, int port, Limits limits, Optional<Tls> tls, Hl7Intake intake)
            throws IOException {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(intake, "intake");
        ServerSocket socket = tls.isPresent() ? tls.get().context().getServerSocketFactory().createServerSocket()
                : new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
            tls.ifPresent(t -> {
                SSLServerSocket ssl = (SSLServerSocket) socket;
                ssl.setNeedClientAuth("REQUIRE".equals(t.clientAuth()));
                if ("WANT".equals(t.clientAuth())) {
                    ssl.setWantClientAuth(true);
                }
            });
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw new IOException("MLLP listener cannot bind " + host + ":" + port + ": " + e.getMessage(), e);
        }
        MllpServer server = new MllpServer(socket, limits, intake);
        server.acceptor.start();
        return server;
    }

    /** The bound port. */
    public int port() {
        return server.getLocalPort();
    }

    /** Connections open now. */
    public int openConnections() {
        synchronized (open) {
            return open.size();
        }
    }

    /** Connections receiving or answering a message now (the others are idle). */
    public int busyConnections() {
        synchronized (open) {
            return (int) open.stream().filter(c -> !c.idle()).count();
        }
    }

    private void acceptLoop() {
        while (!closing) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closing) {
                    LOG.error("MLLP listener on port {} stopped accepting: {}", port(), e.getMessage());
                }
                return;
            }
            try {
                socket.setTcpNoDelay(true);
                Connection connection = new Connection(socket);
                if (admit(connection)) {
                    connections.execute(connection::serve);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("MLLP connection from {} could not be set up: {}", socket.getRemoteSocketAddress(),
                        e.getMessage());
                closeQuietly(socket);
            }
        }
    }

    /**
     * Admits a new connection within the limits: when a limit is reached, the connection of that scope (all, or the
     * same peer) idle the longest is closed to make room; when none is idle, the new connection is refused.
     */
    private boolean admit(Connection connection) {
        Connection evicted = null;
        synchronized (open) {
            List<Connection> samePeer = open.stream().filter(c -> c.peerAddress.equals(connection.peerAddress))
                    .toList();
            List<Connection> scope = samePeer.size() >= limits.maxConnectionsPerPeer() ? samePeer
                    : open.size() >= limits.maxConnections() ? open : List.of();
            if (!scope.isEmpty()) {
                evicted = scope.stream().filter(Connection::idle)
                        .min(Comparator.comparingLong(c -> c.lastActivity)).orElse(null);
                if (evicted == null) {
                    LOG.warn("MLLP connection from {} refused: {} connections open, {} from this peer, none idle",
                            connection.peer, open.size(), samePeer.size());
                    closeQuietly(connection.socket);
                    return false;
                }
                open.remove(evicted);
            }
            open.add(connection);
        }
        if (evicted != null) {
            LOG.info("MLLP connection from {} closed to make room for a new one (idle the longest, at the limit)",
                    evicted.peer);
            closeQuietly(evicted.socket);
        }
        return true;
    }

    private void release(Connection connection) {
        synchronized (open) {
            open.remove(connection);
        }
        closeQuietly(connection.socket);
    }

    @Override
    public void close() {
        closing = true;
        closeQuietly(server);
        List<Connection> all;
        synchronized (open) {
            all = List.copyOf(open);
        }
        // a connection answering a message finishes it; one waiting for a frame is closed now
        for (Connection c : all) {
            if (c.idle()) {
                closeQuietly(c.socket);
            }
        }
        connections.shutdown();
        try {
            if (!connections.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("MLLP connections still busy after 30 s; closing them");
                all.forEach(c -> closeQuietly(c.socket));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed: {}", closeable, e.getMessage());
        }
    }

    /** One sender's connection: frames are read, handed to the intake and answered one after another. */
    private final class Connection {

        private final Socket socket;
        private final String peer;
        private final InetAddress peerAddress;
        private final MllpFrameReader reader;
        private volatile boolean answering;
        private volatile long lastActivity = System.nanoTime();

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            this.peerAddress = remote.getAddress();
            this.peer = remote.getAddress().getHostAddress() + ":" + remote.getPort();
            this.reader = new MllpFrameReader(socket, limits.maxFrameBytes(), limits.idleTimeout(),
                    limits.frameTimeout());
        }

        boolean idle() {
            return !answering && !reader.insideFrame();
        }

        void serve() {
            try {
                OutputStream out = socket.getOutputStream();
                while (!closing) {
                    Optional<MllpFrameReader.Frame> frame = reader.next();
                    if (frame.isEmpty()) {
                        LOG.debug("MLLP sender {} closed the connection", peer);
                        return;
                    }
                    answering = true;
                    lastActivity = System.nanoTime();
                    try {
                        Optional<byte[]> answer = answer(frame.get());
                        if (answer.isPresent()) {
                            out.write(MllpClient.START_BLOCK);
                            out.write(answer.get());
                            out.write(MllpClient.END_BLOCK);
                            out.write(MllpClient.CARRIAGE_RETURN);
                            out.flush();
                        }
                    } finally {
                        answering = false;
                        lastActivity = System.nanoTime();
                    }
                }
            } catch (SocketTimeoutException e) {
                LOG.info("MLLP connection from {} closed after {} idle", peer, limits.idleTimeout());
            } catch (MllpFrameReader.BrokenFrameException e) {
                LOG.warn("MLLP connection from {} closed: {}; nothing of that frame was processed", peer,
                        e.getMessage());
            } catch (SocketException e) {
                LOG.debug("MLLP connection from {} ended: {}", peer, e.getMessage());
            } catch (IOException e) {
                LOG.warn("MLLP connection from {} failed: {}", peer, e.getMessage());
            } catch (RuntimeException | Error e) {
                // the intake could not answer; the sender has no ACK and resends on a new connection
                LOG.error("MLLP connection from {} closed: the intake failed with {}", peer, e.getClass().getName());
            } finally {
                if (reader.discardedOutsideFrames() > 0) {
                    LOG.warn("MLLP sender {} sent {} bytes outside any frame; they were discarded", peer,
                            reader.discardedOutsideFrames());
                }
                release(this);
            }
        }

        private Optional<byte[]> answer(MllpFrameReader.Frame frame) {
            if (frame instanceof MllpFrameReader.Frame.Complete complete) {
                return intake.receive(complete.payload(), peer);
            }
            MllpFrameReader.Frame.Refused refused = (MllpFrameReader.Frame.Refused) frame;
            LOG.warn("MLLP frame of {} bytes from {} refused: {}", refused.bytes(), peer, refused.reason());
            return intake.refuse(refused.head(), refused.reason(), peer);
        }
    }
}
