package org.listkeeper.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text made safe to stand in HTML, as element content or a quoted attribute value. */
public final class Html {
    private static final Pattern HTML_DROPPED = Pattern.compile("(?is)<(script|style)\\b.*?</\\1\\s*>|<!--.*?-->");
    private static final Pattern HTML_BREAK = Pattern.compile("(?i)<\\s*(?:br|/?p|/?div|/?li|/?tr|/?h[1-6]|/?blockquote|/?pre)\\b[^>]*>");
    private static final Pattern HTML_TAG = Pattern.compile("<[^>]*>");
    private static final Pattern HTML_ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|nbsp|amp|lt|gt|quot|apos);");
    private Html() {
    }

    public static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<':
                    escaped.append("&lt;");
                    break;
                case '>':
                    escaped.append("&gt;");
                    break;
                case '&':
                    escaped.append("&amp;");
                    break;
                case '"':
                    escaped.append("&quot;");
                    break;
                case '\'':
                    escaped.append("&#39;");
                    break;
                default:
                    escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** The text a reader of an HTML part sees, line by line: tags out, entities decoded. */
    public static String visibleText(String html) {
        String text = HTML_DROPPED.matcher(html).replaceAll("");
        text = HTML_BREAK.matcher(text).replaceAll("\n");
        text = HTML_TAG.matcher(text).replaceAll("");
        Matcher entity = HTML_ENTITY.matcher(text);
        StringBuilder decoded = new StringBuilder();
        while (entity.find()) {
            entity.appendReplacement(decoded, Matcher.quoteReplacement(decode(entity.group(1))));
        }
        entity.appendTail(decoded);
        return decoded.toString();
    }

    private static String decode(String entity) {
        switch (entity) {
            case "nbsp":
                return " ";
            case "amp":
                return "&";
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "quot":
                return "\"";
            case "apos":
                return "'";
            default:
                int code = entity.startsWith("#x") || entity.startsWith("#X") ? Integer.parseInt(entity.substring(2), 16)
                    : Integer.parseInt(entity.substring(1));
                return Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : "";
        }
    }

}
