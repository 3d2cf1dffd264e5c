package org.listkeeper.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An SMTP client that ends a transaction as Exim does when it pipelines {@code QUIT}: after {@code DATA}, the body,
 * the final dot and {@code QUIT} in one write, then {@code shutdown(SHUT_WR)}; it reads until the server closes.
 * RFC 5321 §4.1.1.10: the server must answer the dot and the {@code QUIT} before it closes.
 */
final class HalfCloseClient {
    private HalfCloseClient() {
    }

    /** What the server answered after the half-close, one reply code per line (the last line of each reply). */
    static List<String> send(int port, String from, String to, String message) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            expect(in, "220");
            command(in, out, "EHLO halfclose.example", "250");
            command(in, out, "MAIL FROM:<" + from + ">", "250");
            command(in, out, "RCPT TO:<" + to + ">", "250");
            command(in, out, "DATA", "354");
            String body = message.replace("\r\n", "\n").replace("\n", "\r\n");
            out.write((body + (body.endsWith("\r\n") ? "" : "\r\n") + ".\r\nQUIT\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.shutdownOutput();
            List<String> codes = new ArrayList<>();
            for (String line : readToEnd(in).split("\r\n")) {
                if (line.length() >= 4 && line.charAt(3) == ' ') {
                    codes.add(line.substring(0, 3));
                }
            }
            return codes;
        }
    }

    private static void command(InputStream in, OutputStream out, String command, String code) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    /** Reads one (possibly multi-line) reply and checks its code. */
    private static void expect(InputStream in, String code) throws IOException {
        while (true) {
            String line = readLine(in);
            if (!line.startsWith(code)) {
                throw new IOException("Expected " + code + ", got: " + line);
            }
            if (line.length() < 4 || line.charAt(3) == ' ') {
                return;
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("The server closed the connection");
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static String readToEnd(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
}
