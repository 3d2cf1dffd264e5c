package org.listkeeper.delivery;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One SMTP client connection that carries many transactions: greeting, {@code EHLO} (or {@code HELO} for a server that
 * refuses it), {@code STARTTLS} when offered or required, then {@code MAIL}, {@code RCPT}s and {@code DATA} for each
 * message, pipelined (RFC 2920) when the server offers {@code PIPELINING}. Every recipient gets its own outcome: the
 * reply to its {@code RCPT} when that refused it, else the reply to the message. Not thread-safe: one thread uses a
 * connection at a time (the pool hands it out).
 */
public final class SmtpConnection implements Closeable {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int MAX_REPLY_LINES = 100;
    private static final int MAX_LINE = 4096;

    private final Endpoint endpoint;
    private final SmtpSettings settings;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private Set<String> extensions = Set.of();
    private boolean tls;
    private int messages;
    private boolean broken;
    private long lastUsedNanos = System.nanoTime();

    private SmtpConnection(Endpoint endpoint, SmtpSettings settings) {
        this.endpoint = endpoint;
        this.settings = settings;
    }

    /** Connects, reads the greeting, says {@code EHLO} and starts TLS as {@code settings} ask. */
    public static SmtpConnection open(Endpoint endpoint, SmtpSettings settings) throws SmtpException {
        SmtpConnection connection = new SmtpConnection(endpoint, settings);
        try {
            connection.connect();
            return connection;
        } catch (SmtpException e) {
            connection.abort();
            throw e;
        } catch (IOException | RuntimeException e) {
            connection.abort();
            throw new SmtpException(SmtpReply.local(421, "4.4.1 cannot talk to " + endpoint + ": " + describe(e)),
                "Cannot open an SMTP connection to " + endpoint + ": " + describe(e), e);
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(endpoint.address(), endpoint.port()), (int) settings.connectTimeout().toMillis());
        socket.setSoTimeout((int) settings.readTimeout().toMillis());
        socket.setTcpNoDelay(true);
        streams();
        SmtpReply greeting = readReply();
        if (greeting.code() != 220) {
            throw refused("greeting", greeting);
        }
        hello();
        boolean offered = extensions.contains("STARTTLS");
        if (settings.tls() == TlsMode.REQUIRED && !offered) {
            throw new SmtpException(SmtpReply.local(421, "4.7.10 " + endpoint.host() + " does not offer STARTTLS, which is required"),
                endpoint + " does not offer STARTTLS, which this configuration requires; nothing was sent");
        }
        if (offered && settings.tls() != TlsMode.OFF) {
            command("STARTTLS");
            SmtpReply reply = readReply();
            if (reply.code() != 220) {
                if (settings.tls() == TlsMode.REQUIRED) {
                    throw refused("STARTTLS", reply);
                }
                return; // opportunistic: go on in clear, as the server's EHLO still holds
            }
            SSLSocket secure = (SSLSocket) trustingContext().getSocketFactory()
                .createSocket(socket, endpoint.host(), endpoint.port(), true);
            secure.setUseClientMode(true);
            secure.startHandshake();
            socket = secure;
            streams();
            tls = true;
            hello();
        }
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream(), 16384);
        out = new BufferedOutputStream(socket.getOutputStream(), 65536);
    }

    private void hello() throws IOException {
        command("EHLO " + settings.heloName());
        SmtpReply reply = readReply();
        if (reply.code() == 250) {
            Set<String> offered = new TreeSet<>();
            for (String line : reply.lines().subList(1, reply.lines().size())) {
                String keyword = line.strip().split("[ =]", 2)[0].toUpperCase(Locale.ROOT);
                if (!keyword.isEmpty()) {
                    offered.add(keyword);
                }
            }
            extensions = offered;
            return;
        }
        if (reply.permanentFailure()) {
            command("HELO " + settings.heloName());
            reply = readReply();
            if (reply.code() == 250) {
                extensions = Set.of();
                return;
            }
        }
        throw refused("EHLO", reply);
    }

    private SmtpException refused(String step, SmtpReply reply) {
        // a refusal before any transaction is about the connection, never about one recipient: try again later
        SmtpReply recorded = reply.positive() || reply.transientFailure() ? reply : SmtpReply.local(421, "4.4.0 " + reply.text());
        return new SmtpException(recorded, endpoint + " refused " + step + ": " + reply.text());
    }

    /**
     * Sends one message to {@code recipients} from {@code sender} ({@code ""} for the null sender); answers each
     * recipient's reply. The caller keeps to the maximum of recipients per transaction.
     *
     * @throws SmtpException when the connection failed on the way: no recipient of this transaction may be taken as
     *                       delivered, and the connection is of no further use
     */
    public Map<String, SmtpReply> send(String sender, List<String> recipients, byte[] message, boolean eightBit) throws SmtpException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("A transaction needs at least one recipient");
        }
        if (broken) {
            throw new SmtpException(SmtpReply.local(421, "4.4.2 connection already failed"), "The connection to " + endpoint + " failed before");
        }
        try {
            Map<String, SmtpReply> outcome = extensions.contains("PIPELINING")
                ? pipelined(sender, recipients, message, eightBit)
                : stepByStep(sender, recipients, message, eightBit);
            messages++;
            lastUsedNanos = System.nanoTime();
            return outcome;
        } catch (IOException | RuntimeException e) {
            broken = true;
            abort();
            if (e instanceof SmtpException) {
                throw (SmtpException) e;
            }
            throw new SmtpException(SmtpReply.local(421, "4.4.2 connection to " + endpoint + " lost: " + describe(e)),
                "The connection to " + endpoint + " failed during a transaction: " + describe(e), e);
        }
    }

    private String mailFrom(String sender, boolean eightBit) {
        return "MAIL FROM:<" + sender + ">" + (eightBit && extensions.contains("8BITMIME") ? " BODY=8BITMIME" : "");
    }

    private Map<String, SmtpReply> pipelined(String sender, List<String> recipients, byte[] message, boolean eightBit) throws IOException {
        write(mailFrom(sender, eightBit));
        for (String recipient : recipients) {
            write("RCPT TO:<" + recipient + ">");
        }
        write("DATA");
        out.flush();
        SmtpReply mail = readReply();
        Map<String, SmtpReply> replies = new LinkedHashMap<>();
        List<String> accepted = new ArrayList<>();
        for (String recipient : recipients) {
            SmtpReply rcpt = readReply();
            replies.put(recipient, mail.positive() ? rcpt : mail);
            if (mail.positive() && rcpt.positive()) {
                accepted.add(recipient);
            }
        }
        SmtpReply data = readReply();
        if (data.code() != 354) {
            accepted.forEach(recipient -> replies.put(recipient, data));
            if (!mail.positive() || accepted.isEmpty() || !data.positive()) {
                reset();
            }
            return replies;
        }
        if (accepted.isEmpty()) {
            // the server took DATA though it refused every recipient (RFC 2920 section 3.1): end it with nothing in it
            out.write(new byte[] {'.', '\r', '\n'});
            out.flush();
            readReply();
            return replies;
        }
        SmtpReply end = body(message);
        accepted.forEach(recipient -> replies.put(recipient, end));
        return replies;
    }

    private Map<String, SmtpReply> stepByStep(String sender, List<String> recipients, byte[] message, boolean eightBit) throws IOException {
        Map<String, SmtpReply> replies = new LinkedHashMap<>();
        command(mailFrom(sender, eightBit));
        SmtpReply mail = readReply();
        if (!mail.positive()) {
            recipients.forEach(recipient -> replies.put(recipient, mail));
            reset();
            return replies;
        }
        List<String> accepted = new ArrayList<>();
        for (String recipient : recipients) {
            command("RCPT TO:<" + recipient + ">");
            SmtpReply rcpt = readReply();
            replies.put(recipient, rcpt);
            if (rcpt.positive()) {
                accepted.add(recipient);
            }
        }
        if (accepted.isEmpty()) {
            reset();
            return replies;
        }
        command("DATA");
        SmtpReply data = readReply();
        if (data.code() != 354) {
            accepted.forEach(recipient -> replies.put(recipient, data));
            reset();
            return replies;
        }
        SmtpReply end = body(message);
        accepted.forEach(recipient -> replies.put(recipient, end));
        return replies;
    }

    /** Writes the message dot-stuffed with CRLF line ends, then the lone dot; answers the server's verdict. */
    private SmtpReply body(byte[] message) throws IOException {
        boolean lineStart = true;
        int from = 0;
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            boolean bareLf = b == '\n' && (i == 0 || message[i - 1] != '\r');
            if (bareLf || lineStart && b == '.') {
                // the unchanged run before it goes out in one write
                out.write(message, from, i - from);
                out.write(bareLf ? '\r' : '.');
                from = i;
            }
            lineStart = b == '\n';
        }
        out.write(message, from, message.length - from);
        if (!lineStart) {
            out.write(CRLF);
        }
        out.write(new byte[] {'.', '\r', '\n'});
        out.flush();
        return readReply();
    }

    private void reset() throws IOException {
        command("RSET");
        readReply();
    }

    private void command(String line) throws IOException {
        write(line);
        out.flush();
    }

    private void write(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF);
    }

    private SmtpReply readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                || !Character.isDigit(line.charAt(2))) {
                throw new IOException("Not an SMTP reply: '" + cut(line) + "'");
            }
            int lineCode = Integer.parseInt(line.substring(0, 3));
            if (code == -1) {
                code = lineCode;
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) != '-') {
                break;
            }
            if (lines.size() > MAX_REPLY_LINES) {
                throw new IOException("An SMTP reply of more than " + MAX_REPLY_LINES + " lines");
            }
        }
        if (code < 100 || code > 599) {
            throw new IOException("Not an SMTP reply code: " + code);
        }
        return SmtpReply.of(code, lines);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("connection closed by " + endpoint.host());
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("An SMTP reply line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** How many transactions this connection has carried. */
    public int messages() {
        return messages;
    }

    public boolean tls() {
        return tls;
    }

    /** Whether the connection may carry another message: not failed, under its maximum, not idle too long. */
    public boolean reusable() {
        return !broken && messages < settings.maxMessagesPerConnection()
            && System.nanoTime() - lastUsedNanos < settings.idleTimeout().toNanos();
    }

    /** Says {@code QUIT} (without waiting long for the answer) and closes. */
    @Override
    public void close() {
        if (!broken && socket != null && !socket.isClosed()) {
            try {
                socket.setSoTimeout(2000);
                command("QUIT");
                readReply();
            } catch (IOException | RuntimeException e) {
                // the server went first: nothing was left to say
            }
        }
        abort();
    }

    private void abort() {
        broken = true;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a socket that failed: nothing more to do
            }
        }
    }

    private static SSLContext trustingContext() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS is not available: " + e.getMessage(), e);
        }
    }

    /**
     * Opportunistic TLS between MTAs encrypts without authenticating the server (RFC 7435): a certificate that does not
     * check out is still better than clear text, and refusing it would only send the mail in clear or not at all.
     */
    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String cut(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200);
    }

    @Override
    public String toString() {
        return "SmtpConnection{" + endpoint + ", messages=" + messages + (tls ? ", tls" : "") + (broken ? ", broken" : "") + "}";
    }
}
