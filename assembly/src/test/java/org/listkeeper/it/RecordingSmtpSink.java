package org.listkeeper.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fast SMTP sink on loopback that records every (Message-ID, envelope recipient) pair it accepts, and
 * can refuse with {@code 451} for a while to play a relay in trouble. It keeps no message bodies.
 */
final class RecordingSmtpSink implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "smtp-sink");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, AtomicInteger> pairs = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> acceptedAt = new ConcurrentHashMap<>();
    private final AtomicInteger transactions = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicReference<Instant> refuseUntil = new AtomicReference<>(Instant.EPOCH);
    private volatile boolean closed;

    RecordingSmtpSink() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "smtp-sink-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Answers 451 to every RCPT until {@code until}. */
    void refuseUntil(Instant until) {
        refuseUntil.set(until);
    }

    /** (Message-ID, recipient) → how many times it was accepted. */
    Map<String, AtomicInteger> pairs() {
        return pairs;
    }

    /** When each copy of a pair was accepted (epoch milliseconds). */
    List<Long> acceptedAt(String key) {
        return acceptedAt.getOrDefault(key, List.of());
    }

    int pairCount() {
        return pairs.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    int count(String messageId, String recipient) {
        AtomicInteger count = pairs.get(key(messageId, recipient));
        return count == null ? 0 : count.get();
    }

    int refusals() {
        return refusals.get();
    }

    int transactions() {
        return transactions.get();
    }

    static String key(String messageId, String recipient) {
        return messageId + " " + recipient.toLowerCase(Locale.ROOT);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                connections.execute(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(120_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            reply(out, "220 sink.test ESMTP");
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (command) {
                    case "EHLO":
                        reply(out, "250-sink.test\r\n250-8BITMIME\r\n250 PIPELINING");
                        break;
                    case "HELO":
                        reply(out, "250 sink.test");
                        break;
                    case "MAIL":
                        recipients.clear();
                        reply(out, "250 2.1.0 OK");
                        break;
                    case "RCPT":
                        if (Instant.now().isBefore(refuseUntil.get())) {
                            refusals.incrementAndGet();
                            reply(out, "451 4.3.0 Try again later");
                        } else {
                            recipients.add(address(line));
                            reply(out, "250 2.1.5 OK");
                        }
                        break;
                    case "DATA":
                        if (recipients.isEmpty()) {
                            reply(out, "503 5.5.1 No recipients");
                            break;
                        }
                        reply(out, "354 Go ahead");
                        String messageId = readMessage(in);
                        if (messageId == null) {
                            // the client went away before the end of DATA (a killed server): nothing was accepted
                            return;
                        }
                        long now = System.currentTimeMillis();
                        for (String recipient : recipients) {
                            pairs.computeIfAbsent(key(messageId, recipient), k -> new AtomicInteger()).incrementAndGet();
                            acceptedAt.computeIfAbsent(key(messageId, recipient), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(now);
                        }
                        transactions.incrementAndGet();
                        recipients.clear();
                        reply(out, "250 2.0.0 Accepted");
                        break;
                    case "RSET":
                        recipients.clear();
                        reply(out, "250 2.0.0 OK");
                        break;
                    case "NOOP":
                        reply(out, "250 2.0.0 OK");
                        break;
                    case "QUIT":
                        reply(out, "221 2.0.0 Bye");
                        return;
                    default:
                        reply(out, "502 5.5.2 Command not implemented");
                }
            }
        } catch (SocketException e) {
            // the client went away (a killed server): nothing was accepted for that transaction
        } catch (IOException e) {
            if (!closed) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Reads DATA up to the lone dot; returns the Message-ID header (unfolded), "(none)" without one, or null when
     * the connection ended before the dot.
     */
    private static String readMessage(BufferedReader in) throws IOException {
        String messageId = "(none)";
        boolean inHeaders = true;
        boolean inMessageId = false;
        String line;
        while (true) {
            line = in.readLine();
            if (line == null) {
                return null;
            }
            if (line.equals(".")) {
                break;
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
        out.flush();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        connections.shutdownNow();
    }
}
