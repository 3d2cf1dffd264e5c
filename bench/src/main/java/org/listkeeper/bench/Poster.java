package org.listkeeper.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Posts over SMTP and notes when the server accepted each message (its 250 after DATA). */
final class Poster implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    Poster(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(600_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
        expect(220);
        command("EHLO bench.example", 250);
    }

    /** Sends one message to {@code recipients}; returns System.nanoTime() at the server's 250. */
    long send(String from, List<String> recipients, String message) throws IOException {
        return transaction(from, recipients, message)[1];
    }

    /**
     * Sends one message to {@code recipients}; returns the nanoseconds from the write of its data (with the final
     * dot) to the server's {@code 250}: the time the server takes to accept it.
     */
    long acceptNanos(String from, List<String> recipients, String message) throws IOException {
        long[] times = transaction(from, recipients, message);
        return times[1] - times[0];
    }

    /** One transaction; System.nanoTime() at the write of the data and at the server's 250. */
    private long[] transaction(String from, List<String> recipients, String message) throws IOException {
        command("MAIL FROM:<" + from + ">", 250);
        // one RCPT at a time, as a plain MTA does: James left pipelined RCPTs of a 100,000-recipient
        // transaction unanswered in a first version of this benchmark
        for (String recipient : recipients) {
            command("RCPT TO:<" + recipient + ">", 250);
        }
        command("DATA", 354);
        StringBuilder data = new StringBuilder();
        for (String line : message.split("\n", -1)) {
            data.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        data.append(".\r\n");
        byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
        long written = System.nanoTime();
        out.write(bytes);
        out.flush();
        expect(250);
        return new long[] {written, System.nanoTime()};
    }

    private void command(String line, int code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        expect(code);
    }

    private void expect(int code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("Server closed the connection");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(String.valueOf(code))) {
            throw new IOException("Expected " + code + ", got " + line);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.write("QUIT\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } finally {
            socket.close();
        }
    }
}
