package org.listkeeper.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay the server under test delivers to: an SMTP sink on loopback that counts, per Message-ID,
 * how often each recipient was accepted and when the first and last of them arrived. No bodies kept.
 */
final class TimingSink implements AutoCloseable {
    /** What arrived for one Message-ID. */
    static final class Arrivals {
        final Map<String, AtomicInteger> recipients = new ConcurrentHashMap<>();
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
        final AtomicInteger pairs = new AtomicInteger();
    }

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "bench-sink");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Arrivals> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong totalPairs = new AtomicLong();
    private volatile boolean closed;

    TimingSink() throws IOException {
        server = new ServerSocket(0, 500, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "bench-sink-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    Arrivals arrivals(String messageId) {
        return arrivals.computeIfAbsent(messageId, id -> new Arrivals());
    }

    long totalPairs() {
        return totalPairs.get();
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
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1), 65536);
            OutputStream out = socket.getOutputStream();
            reply(out, "220 bench-sink ESMTP");
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO":
                        reply(out, "250-bench-sink\r\n250-8BITMIME\r\n250 PIPELINING");
                        break;
                    case "HELO":
                    case "NOOP":
                        reply(out, "250 OK");
                        break;
                    case "MAIL":
                        recipients.clear();
                        reply(out, "250 OK");
                        break;
                    case "RCPT":
                        int open = line.indexOf('<');
                        int close = line.indexOf('>', open + 1);
                        recipients.add(line.substring(open + 1, close).toLowerCase(Locale.ROOT));
                        reply(out, "250 OK");
                        break;
                    case "DATA":
                        reply(out, "354 Go ahead");
                        String messageId = readMessage(in);
                        if (messageId == null) {
                            return; // the connection ended before the end of DATA: nothing was accepted
                        }
                        long now = System.nanoTime();
                        Arrivals post = arrivals(messageId);
                        for (String recipient : recipients) {
                            post.recipients.computeIfAbsent(recipient, r -> new AtomicInteger()).incrementAndGet();
                        }
                        post.pairs.addAndGet(recipients.size());
                        post.first.accumulateAndGet(now, Math::min);
                        post.last.accumulateAndGet(now, Math::max);
                        totalPairs.addAndGet(recipients.size());
                        recipients.clear();
                        reply(out, "250 Accepted");
                        break;
                    case "RSET":
                        recipients.clear();
                        reply(out, "250 OK");
                        break;
                    case "QUIT":
                        reply(out, "221 Bye");
                        return;
                    default:
                        reply(out, "502 Not implemented");
                }
            }
        } catch (SocketException e) {
            // the server closed the connection
        } catch (IOException e) {
            if (!closed) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The Message-ID of the message DATA carries, "(none)" without one, null when DATA ended before its dot. */
    private static String readMessage(BufferedReader in) throws IOException {
        String messageId = "(none)";
        boolean headers = true;
        String line;
        while (!".".equals(line = in.readLine())) {
            if (line == null) {
                return null;
            }
            if (headers) {
                if (line.isEmpty()) {
                    headers = false;
                } else if (line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
                    messageId = line.substring(11).strip();
                }
            }
        }
        return messageId;
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
