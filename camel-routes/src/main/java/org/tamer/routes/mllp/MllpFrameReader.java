package org.tamer.routes.mllp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads MLLP frames ({@code VT payload FS CR}) one after another from a connection, however the sender's writes
 * are cut into TCP segments: several frames in one write are returned one by one, in order.
 *
 * <p>Limits, checked before anything is kept: a payload beyond {@code maxFrameBytes} is read to its end block but
 * only its first {@code maxFrameBytes} are kept, and it comes back as {@link Frame.Refused}; a start block inside a
 * frame ends the unterminated frame as {@code Refused} and begins the next one (two messages are never merged);
 * between frames the connection may be idle for {@code idleTimeout}, and a frame must be complete within
 * {@code frameTimeout} of its start block (a sender trickling bytes cannot hold a connection forever).
 */
final class MllpFrameReader {

    private static final int CHUNK = 64 * 1024;

    /** A frame read from the connection. */
    sealed interface Frame permits Frame.Complete, Frame.Refused {

        /** A whole payload within the limit. */
        record Complete(byte[] payload) implements Frame {
        }

        /**
         * A frame that is not passed on: {@code head} is its first bytes (at most the limit; enough to read MSH and
         * answer the sender), {@code bytes} its full length, {@code reason} why it is refused.
         */
        record Refused(byte[] head, long bytes, String reason) implements Frame {
        }
    }

    /** The connection ended or timed out inside a frame: nothing of it is passed on, and no answer is possible. */
    static final class BrokenFrameException extends IOException {

        private static final long serialVersionUID = 1L;

        BrokenFrameException(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final int maxFrameBytes;
    private final int idleTimeoutMillis;
    private final long frameTimeoutNanos;
    private final byte[] chunk = new byte[CHUNK];
    private int position;
    private int limit;
    private boolean startBlockPending;
    /** A frame ended with FS as the last byte read: its CR may open the next read. */
    private boolean carriageReturnMayFollow;
    private volatile boolean insideFrame;
    private long discardedOutsideFrames;

    MllpFrameReader(Socket socket, int maxFrameBytes, Duration idleTimeout, Duration frameTimeout)
            throws IOException {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.in = socket.getInputStream();
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.idleTimeoutMillis = Math.toIntExact(Math.max(1, idleTimeout.toMillis()));
        this.frameTimeoutNanos = frameTimeout.toNanos();
    }

    /** Whether a frame has begun and not yet ended (a connection in this state is not idle). */
    boolean insideFrame() {
        return insideFrame;
    }

    /** Bytes received outside any frame so far (noise between frames; never passed on). */
    long discardedOutsideFrames() {
        return discardedOutsideFrames;
    }

    /**
     * The next frame; empty when the sender closed the connection between frames.
     *
     * @throws SocketTimeoutException when the connection stayed idle between frames for the idle timeout
     * @throws BrokenFrameException   when it closed or timed out inside a frame
     */
    Optional<Frame> next() throws IOException {
        if (!startBlockPending && !skipToStartBlock()) {
            return Optional.empty();
        }
        startBlockPending = false;
        insideFrame = true;
        try {
            return Optional.of(readPayload(System.nanoTime() + frameTimeoutNanos));
        } finally {
            insideFrame = false;
        }
    }

    private boolean skipToStartBlock() throws IOException {
        while (true) {
            if (position == limit && !fill(idleTimeoutMillis)) {
                return false;
            }
            while (position < limit) {
                if (chunk[position++] == MllpClient.START_BLOCK) {
                    return true;
                }
                discardedOutsideFrames++;
            }
        }
    }

    private Frame readPayload(long deadline) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream(Math.min(maxFrameBytes, CHUNK));
        long bytes = 0;
        while (true) {
            if (position == limit) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new BrokenFrameException("no end block within the frame timeout after " + bytes
                            + " bytes");
                }
                try {
                    if (!fill((int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining / 1_000_000)))) {
                        throw new BrokenFrameException("the connection closed inside a frame after " + bytes
                                + " bytes");
                    }
                } catch (SocketTimeoutException e) {
                    throw new BrokenFrameException("no end block within the frame timeout after " + bytes + " bytes");
                }
            }
            int start = position;
            while (position < limit) {
                byte b = chunk[position];
                if (b == MllpClient.END_BLOCK || b == MllpClient.START_BLOCK) {
                    break;
                }
                position++;
            }
            int run = position - start;
            if (bytes < maxFrameBytes) {
                kept.write(chunk, start, (int) Math.min(run, maxFrameBytes - bytes));
            }
            bytes += run;
            if (position == limit) {
                continue;
            }
            byte marker = chunk[position++];
            if (marker == MllpClient.START_BLOCK) {
                startBlockPending = true;
                return new Frame.Refused(kept.toByteArray(), bytes, "the frame had no end block (FS CR) before "
                        + "the next start block (VT); " + bytes + " bytes not processed");
            }
            skipCarriageReturn();
            if (bytes > maxFrameBytes) {
                return new Frame.Refused(kept.toByteArray(), bytes, "the message is " + bytes
                        + " bytes; this listener accepts at most " + maxFrameBytes);
            }
            return new Frame.Complete(kept.toByteArray());
        }
    }

    /** The CR after FS, when it is already here; a missing CR is tolerated (some senders omit it). */
    private void skipCarriageReturn() {
        if (position < limit && chunk[position] == MllpClient.CARRIAGE_RETURN) {
            position++;
        } else if (position == limit) {
            carriageReturnMayFollow = true;
        }
    }

    private boolean fill(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        int n = in.read(chunk, 0, CHUNK);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        if (carriageReturnMayFollow) {
            carriageReturnMayFollow = false;
            if (n > 0 && chunk[0] == MllpClient.CARRIAGE_RETURN) {
                position = 1;
            }
        }
        return true;
    }
}
