package org.listkeeper.testing.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One client connection that speaks to a sink line by line, so a test can stop anywhere in the dialogue. */
final class SmtpClientSession implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final String greeting;

    SmtpClientSession(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
        greeting = reply();
    }

    String greeting() {
        return greeting;
    }

    /** Sends one line and returns the last line of the reply. */
    String command(String line) throws IOException {
        write(line);
        return reply();
    }

    /** HELO, MAIL, one RCPT per recipient, then DATA; returns the last line of the reply to DATA. */
    String beginData(String... recipients) throws IOException {
        command("HELO client.test");
        command("MAIL FROM:<poster@example.com>");
        for (String recipient : recipients) {
            command("RCPT TO:<" + recipient + ">");
        }
        return command("DATA");
    }

    /** Sends the message's lines as they are, then the lone dot; returns the last line of the reply. */
    String endData(String... lines) throws IOException {
        write(lines);
        return command(".");
    }

    /** Sends lines as they are (already dot-stuffed where a test wants it) without waiting for a reply. */
    void write(String... lines) throws IOException {
        for (String line : lines) {
            out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.flush();
    }

    /** Reads one reply, continuation lines included, and returns its last line. */
    String reply() throws IOException {
        String line = in.readLine();
        while (line != null && line.length() > 3 && line.charAt(3) == '-') {
            line = in.readLine();
        }
        return line;
    }

    /** Ends the client's side, as a client killed mid-transaction does, and keeps reading. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
