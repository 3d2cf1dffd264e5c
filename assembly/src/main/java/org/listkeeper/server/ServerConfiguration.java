package org.listkeeper.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

/**
 * Writes the James configuration the server runs with into {@code DATA/conf}: the bundled sample
 * configuration (or the operator's {@code --conf} files in its place), with the listening addresses,
 * smarthost and list store of the command line applied. Regenerated at every start.
 */
final class ServerConfiguration {
    static final List<String> FILES = List.of("mailetcontainer.xml", "smtpserver.xml", "mailrepositorystore.xml",
        "webadmin.properties", "extensions.properties", "listkeeper.properties");
    private static final String BUNDLED = "/listkeeper-server/conf/";
    private static final Pattern BIND = Pattern.compile("<bind>[^<]*</bind>");
    /** A James file repository under the data directory: in cluster mode, kept in the list store instead. */
    private static final Pattern FILE_REPOSITORY = Pattern.compile("file://(var/mail/[^<\\s\"]*)");
    private static final Pattern REMOTE_DELIVERY = Pattern.compile("(<mailet[^>]*class=\"(?:RemoteDelivery|org\\.listkeeper\\.mailets\\.ListDelivery)\"[^>]*>)");

    private ServerConfiguration() {
    }

    static void write(ServerOptions options, Path confDirectory) throws StartupException {
        try {
            Files.createDirectories(confDirectory);
            for (String file : FILES) {
                String text = source(options, file);
                text = apply(options, file, text);
                if (file.endsWith(".xml")) {
                    checkXml(options, file, text);
                }
                Files.writeString(confDirectory.resolve(file), text);
            }
        } catch (IOException e) {
            throw new StartupException("Cannot write the configuration in " + confDirectory + ": " + e.getMessage());
        }
    }

    private static String source(ServerOptions options, String file) throws IOException, StartupException {
        if (options.conf.isPresent()) {
            if (!Files.isDirectory(options.conf.get())) {
                throw new StartupException("Configuration directory " + options.conf.get() + " does not exist");
            }
            Path overriding = options.conf.get().resolve(file);
            if (Files.exists(overriding)) {
                return Files.readString(overriding);
            }
        }
        try (InputStream in = ServerConfiguration.class.getResourceAsStream(BUNDLED + file)) {
            if (in == null) {
                throw new IllegalStateException("The server jar lacks its bundled " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String apply(ServerOptions options, String file, String text) {
        switch (file) {
            case "smtpserver.xml":
                return BIND.matcher(text).replaceAll(Matcher.quoteReplacement("<bind>" + options.bind + ":" + options.smtpPort + "</bind>"));
            case "webadmin.properties":
                return property(property(text, "host", options.bind), "port", String.valueOf(options.webAdminPort));
            case "mailetcontainer.xml":
                String shared = shared(options, text);
                if (options.relay.isPresent()) {
                    return REMOTE_DELIVERY.matcher(shared).replaceAll("$1" + Matcher.quoteReplacement(
                        "<gateway>" + options.relay.get().host + "</gateway><gatewayPort>" + options.relay.get().port + "</gatewayPort>"));
                }
                return shared;
            case "listkeeper.properties":
                String withStore = options.jdbcUrl.map(url -> property(shared(options, text), "jdbc.url", url)).orElse(text);
                if (options.broker.isPresent()) {
                    // list delivery claims each batch attempt in the store before sending
                    withStore = property(withStore, "cluster", "true");
                }
                String withWeb = property(property(withStore, "web.port", options.webPort.isPresent()
                    ? String.valueOf(options.webPort.getAsInt()) : "off"), "web.bind", options.bind);
                return options.publicUrl.map(url -> property(withWeb, "public.base.url", url)).orElse(withWeb);
            default:
                return text;
        }
    }

    /**
     * In cluster mode, held, parked and error mail is kept where every node sees it: each {@code file://var/mail/…}
     * repository becomes {@code listkeeper://var/mail/…}, a repository in the list store (PostgreSQL).
     */
    private static String shared(ServerOptions options, String text) {
        return options.broker.isPresent() ? FILE_REPOSITORY.matcher(text).replaceAll("listkeeper://$1") : text;
    }

    /** Sets {@code key=value}, replacing an active line for the key or appending one. */
    static String property(String text, String key, String value) {
        Pattern line = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + "\\s*[=:].*$");
        Matcher matcher = line.matcher(text);
        if (matcher.find()) {
            return matcher.replaceAll(Matcher.quoteReplacement(key + "=" + value));
        }
        return text + (text.endsWith("\n") ? "" : "\n") + key + "=" + value + "\n";
    }

    private static void checkXml(ServerOptions options, String file, String text) throws StartupException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            javax.xml.parsers.DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            builder.parse(new InputSource(new StringReader(text)));
        } catch (SAXParseException e) {
            String where = options.conf.map(dir -> dir.resolve(file).toString()).orElse(file);
            throw new StartupException("Bad configuration file " + where + ": line " + e.getLineNumber() + ": " + e.getMessage());
        } catch (Exception e) {
            throw new StartupException("Bad configuration file " + file + ": " + e.getMessage());
        }
    }
}
