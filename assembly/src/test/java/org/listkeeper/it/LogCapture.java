package org.listkeeper.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

/**
 * Every log event of this JVM while installed, from every logger (James's own at INFO too), kept as what the
 * packaged server's {@code logback.xml} pattern, and the sample {@code conf/logback.xml}, print for it, and as the raw message with its MDC and stack
 * trace (what a JSON or structured appender would ship).
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final List<PatternLayout> shippedLayouts = new ArrayList<>();
    private final Map<String, Level> previousLevels = new java.util.HashMap<>();
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    private LogCapture() {
    }

    /** Starts capturing; the named loggers log at {@code level} until {@link #close()}. */
    static LogCapture install(Level level, String... loggers) {
        LogCapture capture = new LogCapture();
        capture.setContext(capture.context);
        for (Path file : List.of(Paths.get("src/main/resources/logback.xml"), Paths.get("../conf/logback.xml"))) {
            PatternLayout layout = new PatternLayout();
            layout.setContext(capture.context);
            layout.setPattern(pattern(file));
            layout.start();
            capture.shippedLayouts.add(layout);
        }
        capture.start();
        for (String name : loggers) {
            Logger logger = capture.context.getLogger(name);
            capture.previousLevels.put(name, logger.getLevel());
            logger.setLevel(level);
        }
        capture.context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture);
        return capture;
    }

    /** The pattern of a logback.xml we ship: the packaged server's, and the sample for James in conf/. */
    private static String pattern(Path file) {
        try {
            Matcher matcher = Pattern.compile("<pattern>(.*?)</pattern>", Pattern.DOTALL).matcher(Files.readString(file));
            if (!matcher.find()) {
                throw new IllegalStateException("no <pattern> in " + file);
            }
            return matcher.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'")
                .replace("&quot;", "\"");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing();
        events.add(event);
    }

    /** Lines as the packaged server, and a James configured from conf/logback.xml, print them. */
    List<String> printedLines() {
        return shippedLayouts.stream().flatMap(layout -> events.stream().map(layout::doLayout)).collect(Collectors.toList());
    }

    /** Listkeeper's own events, raw: message, MDC and stack trace, before any pattern could hide something. */
    List<String> listkeeperEvents() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : events) {
            if (event.getLoggerName().startsWith("org.listkeeper")) {
                lines.add(event.getFormattedMessage() + " " + event.getMDCPropertyMap()
                    + (event.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy())));
            }
        }
        return lines;
    }

    int size() {
        return events.size();
    }

    @Override
    public void close() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
        stop();
        previousLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }
}
