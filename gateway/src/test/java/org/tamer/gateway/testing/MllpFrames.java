package org.tamer.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.tamer.routes.mllp.MllpClient;

/** MLLP framing for the tests' loopback destinations (the gateway's own client is the other side). */
public final class MllpFrames {

    private MllpFrames() {
    }

    /** The next frame's message, or null when the peer closed the connection between frames. */
    public static String read(InputStream in) throws IOException {
        int b = in.read();
        if (b == -1) {
            return null;
        }
        if (b != MllpClient.START_BLOCK) {
            throw new IOException("no MLLP start block");
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        while ((b = in.read()) != MllpClient.END_BLOCK) {
            if (b == -1) {
                throw new IOException("connection closed inside a frame");
            }
            frame.write(b);
        }
        in.read();
        return frame.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes one framed message. */
    public static void write(OutputStream out, String message) throws IOException {
        out.write(MllpClient.START_BLOCK);
        out.write(message.getBytes(StandardCharsets.ISO_8859_1));
        out.write(new byte[] {MllpClient.END_BLOCK, MllpClient.CARRIAGE_RETURN});
        out.flush();
    }

    /** MSH-n (n counted as the standard counts, MSH-1 being the field separator) of a message. */
    public static String msh(String message, int n) {
        return message.substring(0, message.indexOf('\r')).split("\\|", -1)[n - 1];
    }
}
