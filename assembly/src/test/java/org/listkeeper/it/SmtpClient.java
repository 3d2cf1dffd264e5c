package org.listkeeper.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A deliberately small SMTP client for tests: it shows every reply code, including refusals at RCPT. */
final class SmtpClient implements AutoCloseable {
    /** One SMTP reply. */
    static final class Reply {
        final int code;
        final String text;

        Reply(int code, String text) {
            this.code = code;
            this.text = text;
        }

        @Override
        public String toString() {
            return code + " " + text;
        }
    }

    /** What happened to one transaction. */
    static final class Result {
        final List<Reply> rcptReplies = new ArrayList<>();
        Reply dataReply;

        boolean accepted() {
            return dataReply != null && dataReply.code == 250;
        }
    }

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    SmtpClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
        expect(read(), 220);
        expect(command("EHLO client.example.com"), 250);
    }

    static Result send(int port, String from, List<String> recipients, String message) throws IOException {
        try (SmtpClient client = new SmtpClient(port)) {
            return client.transaction(from, recipients, message);
        }
    }

    Result transaction(String from, List<String> recipients, String message) throws IOException {
        Result result = new Result();
        expect(command("MAIL FROM:<" + from + ">"), 250);
        boolean any = false;
        for (String recipient : recipients) {
            Reply reply = command("RCPT TO:<" + recipient + ">");
            result.rcptReplies.add(reply);
            any |= reply.code == 250;
        }
        if (!any) {
            command("RSET");
            return result;
        }
        expect(command("DATA"), 354);
        StringBuilder data = new StringBuilder();
        for (String line : message.replace("\r\n", "\n").split("\n", -1)) {
            data.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        data.append(".\r\n");
        out.write(data.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        result.dataReply = read();
        return result;
    }

    Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read();
    }

    private Reply read() throws IOException {
        StringBuilder text = new StringBuilder();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("SMTP server closed the connection");
            }
            text.append(line.length() > 4 ? line.substring(4) : "").append('\n');
        } while (line.length() > 3 && line.charAt(3) == '-');
        return new Reply(Integer.parseInt(line.substring(0, 3)), text.toString().strip());
    }

    private static void expect(Reply reply, int code) throws IOException {
        if (reply.code != code) {
            throw new IOException("Expected " + code + " but the server said " + reply);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT");
        } catch (IOException ignored) {
            // the connection may already be gone
        } finally {
            socket.close();
        }
    }
}
