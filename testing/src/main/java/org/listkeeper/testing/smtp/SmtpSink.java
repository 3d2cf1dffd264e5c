package org.listkeeper.testing.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An SMTP server on loopback that plays the relay a server under test delivers to: it accepts every
 * transaction, keeps no message bodies, and hands each accepted message's Message-ID and envelope recipients
 * to a {@link Listener}. It can refuse recipients with {@code 451} for a while to play a relay in trouble.
 *
 * <p>One thread per connection, so a slow listener slows only its own connection. A message counts only
 * once its DATA ended with the lone dot: a client that goes away before it (a killed server) delivered
 * nothing.
 */
public final class SmtpSink implements AutoCloseable {
    /** What the sink does with each message it accepts. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Called once per accepted message, on the connection's thread, after the final dot and before the
         * {@code 250} that tells the client it was accepted: once the client has its {@code 250}, the
         * listener has run.
         *
         * @param messageId  the Message-ID header unfolded, {@code (none)} when the message has none
         * @param recipients the envelope recipients in lower case, in RCPT order, never empty
         */
        void accepted(String messageId, List<String> recipients);
    }

    /** What the sink does with each message it accepts, when it keeps the whole message. */
    @FunctionalInterface
    public interface MessageListener {
        /**
         * Called as {@link Listener#accepted} is, with the envelope sender ({@code ""} for the null sender) and the
         * message as it came, dot-stuffing undone, lines ending in CRLF.
         */
        void accepted(String sender, List<String> recipients, byte[] message);
    }

    // a whole benchmark round of connections may arrive at once
    private static final int BACKLOG = 500;
    // a client silent this long has gone away without closing (a killed server on a busy machine)
    private static final int READ_TIMEOUT_MILLIS = 120_000;

    private final Listener listener;
    private final MessageListener messages;
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final AtomicInteger acceptedCount = new AtomicInteger();
    private final AtomicInteger dropAfter = new AtomicInteger(-1);
    private volatile java.util.function.Function<String, String> recipientAnswer = recipient -> null;
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "smtp-sink");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread acceptor = new Thread(this::accept, "smtp-sink-accept");
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicReference<Instant> refuseUntil = new AtomicReference<>(Instant.EPOCH);
    private volatile boolean closed;

    private SmtpSink(Listener listener, MessageListener messages, InetAddress address, int port) throws IOException {
        this.listener = listener;
        this.messages = messages;
        this.server = new ServerSocket(port, BACKLOG, address);
    }

    /** Starts a sink on a free loopback port. */
    public static SmtpSink start(Listener listener) throws IOException {
        return started(new SmtpSink(listener, null, InetAddress.getLoopbackAddress(), 0));
    }

    /** Starts a sink on a free loopback port that hands each accepted message over whole. */
    public static SmtpSink start(MessageListener listener) throws IOException {
        return started(new SmtpSink(null, listener, InetAddress.getLoopbackAddress(), 0));
    }

    /** Starts a sink on {@code address} and {@code port} (a loopback address such as 127.0.0.2, for an MX on port 25 of its own). */
    public static SmtpSink start(MessageListener listener, InetAddress address, int port) throws IOException {
        return started(new SmtpSink(null, listener, address, port));
    }

    private static SmtpSink started(SmtpSink sink) {
        sink.acceptor.setDaemon(true);
        sink.acceptor.start();
        return sink;
    }

    /**
     * Answers each RCPT with what {@code answer} gives for the address in lower case (a whole reply line such as
     * {@code 550 5.1.1 no such user}); null accepts it.
     */
    public void answerRecipients(java.util.function.Function<String, String> answer) {
        recipientAnswer = answer;
    }

    /** Once {@code messages} messages were accepted, drops the connection that starts the next transaction (once). */
    public void dropConnectionAfter(int messages) {
        dropAfter.set(messages);
    }

    /** How many messages the sink has accepted (transactions), whatever their recipients. */
    public int transactions() {
        return acceptedCount.get();
    }

    /** How many connections the sink has taken. */
    public int connections() {
        return connectionCount.get();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Answers {@code 451} to every RCPT until {@code until}; {@link Instant#EPOCH} ends a refusal early. */
    public void refuseUntil(Instant until) {
        refuseUntil.set(until);
    }

    /** How many RCPT commands were refused. */
    public int refusals() {
        return refusals.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                try {
                    connections.execute(() -> serve(socket));
                } catch (RejectedExecutionException e) {
                    socket.close(); // accepted as the sink closed
                }
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            connectionCount.incrementAndGet();
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1), 65536);
            // as a real MTA does with pipelined commands: replies are flushed together once no more input is waiting,
            // and without Nagle's delay (which, against the client's delayed ACK, costs 40 ms a transaction)
            socket.setTcpNoDelay(true);
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 8192);
            reply(out, "220 sink.test ESMTP");
            List<String> recipients = new ArrayList<>();
            String sender = "";
            String line;
            while (flushUnlessMoreWaiting(in, out) && (line = in.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO":
                        reply(out, "250-sink.test\r\n250-8BITMIME\r\n250 PIPELINING");
                        break;
                    case "HELO":
                        reply(out, "250 sink.test");
                        break;
                    case "MAIL":
                        if (dropAfter.get() >= 0 && acceptedCount.get() >= dropAfter.get()) {
                            dropAfter.set(-1);
                            return; // the connection drops as the next transaction starts
                        }
                        recipients = new ArrayList<>();
                        sender = address(line);
                        reply(out, "250 2.1.0 OK");
                        break;
                    case "RCPT":
                        if (Instant.now().isBefore(refuseUntil.get())) {
                            refusals.incrementAndGet();
                            reply(out, "451 4.3.0 Try again later");
                        } else {
                            String recipient = address(line).toLowerCase(Locale.ROOT);
                            String answer = recipientAnswer.apply(recipient);
                            if (answer != null) {
                                reply(out, answer);
                            } else {
                                recipients.add(recipient);
                                reply(out, "250 2.1.5 OK");
                            }
                        }
                        break;
                    case "DATA":
                        if (recipients.isEmpty()) {
                            reply(out, "503 5.5.1 No recipients");
                            break;
                        }
                        reply(out, "354 Go ahead");
                        out.flush();
                        java.io.ByteArrayOutputStream body = messages != null ? new java.io.ByteArrayOutputStream() : null;
                        String messageId = readMessage(in, body);
                        if (messageId == null) {
                            return;
                        }
                        // a fresh list per transaction: the listener may keep the one it was handed
                        if (listener != null) {
                            listener.accepted(messageId, Collections.unmodifiableList(recipients));
                        } else {
                            messages.accepted(sender, Collections.unmodifiableList(recipients), body.toByteArray());
                        }
                        acceptedCount.incrementAndGet();
                        recipients = new ArrayList<>();
                        reply(out, "250 2.0.0 Accepted");
                        break;
                    case "RSET":
                        recipients = new ArrayList<>();
                        reply(out, "250 2.0.0 OK");
                        break;
                    case "NOOP":
                        reply(out, "250 2.0.0 OK");
                        break;
                    case "QUIT":
                        reply(out, "221 2.0.0 Bye");
                        out.flush();
                        return;
                    default:
                        reply(out, "502 5.5.2 Command not implemented");
                }
            }
        } catch (SocketException | SocketTimeoutException e) {
            // the client went away (a killed server) or the sink closed: nothing was accepted for that transaction
        } catch (IOException e) {
            if (!closed) {
                throw new IllegalStateException(e);
            }
        } finally {
            open.remove(socket);
        }
    }

    /**
     * Reads DATA up to the lone dot; returns the Message-ID header (unfolded), {@code (none)} without one,
     * or null when the connection ended before the dot. The body is skipped unread.
     */
    private static String readMessage(BufferedReader in, java.io.ByteArrayOutputStream body) throws IOException {
        String messageId = "(none)";
        boolean inHeaders = true;
        boolean inMessageId = false;
        String line;
        while (!".".equals(line = in.readLine())) {
            if (line == null) {
                return null;
            }
            if (line.startsWith(".")) {
                line = line.substring(1); // dot-stuffed (RFC 5321 4.5.2)
            }
            if (body != null) {
                body.write(line.getBytes(StandardCharsets.ISO_8859_1));
                body.write('\r');
                body.write('\n');
            }
            if (!inHeaders) {
                continue;
            }
            if (line.isEmpty()) {
                inHeaders = false;
            } else if (inMessageId && (line.startsWith(" ") || line.startsWith("\t"))) {
                messageId = (messageId + " " + line.strip()).strip();
            } else {
                inMessageId = line.regionMatches(true, 0, "Message-ID:", 0, 11);
                if (inMessageId) {
                    messageId = line.substring(11).strip();
                }
            }
        }
        return messageId;
    }

    private static String address(String rcpt) {
        int open = rcpt.indexOf('<');
        int close = rcpt.indexOf('>', open + 1);
        return open >= 0 && close > open ? rcpt.substring(open + 1, close) : rcpt.substring(rcpt.indexOf(':') + 1).strip();
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends the replies written so far unless more pipelined commands are already waiting; always true. */
    private static boolean flushUnlessMoreWaiting(BufferedReader in, OutputStream out) throws IOException {
        if (!in.ready()) {
            out.flush();
        }
        return true;
    }

    /**
     * Stops listening and drops the connections still open (a transaction they had under way is not accepted);
     * returns once the sink's threads have ended, so the port is free.
     */
    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        connections.shutdownNow();
        try {
            // a socket closed while a thread is blocked on it is released only when that thread returns
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
            connections.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
