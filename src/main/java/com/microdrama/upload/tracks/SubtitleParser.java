package com.microdrama.upload.tracks;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a producer's WebVTT or SRT file into cues, refusing (with the line) what a player could not show or should
 * not be given: bytes that are not UTF-8, anything that does not parse, cues outside the episode, and markup that
 * is not WebVTT's own (kept: b, i, u, c, v, lang, ruby, rt and cue timestamps; anything else, such as SRT's
 * {@code <font>} or {@code {\an8}}, is dropped and its text kept). STYLE and REGION blocks are dropped too: players
 * style subtitles themselves.
 */
public final class SubtitleParser {

    private static final String TIME = "(?:(\\d{2,}):)?([0-5]\\d):([0-5]\\d)[.,](\\d{3})";
    private static final Pattern TIMING = Pattern.compile("^" + TIME + "[ \\t]+-->[ \\t]+" + TIME + "(?:[ \\t]+(.*))?$");
    private static final Pattern SETTING = Pattern.compile("(vertical|line|position|size|align):\\S+");
    private static final Pattern TAG = Pattern.compile("<(/?)([^<>\\s./]*)([^<>]*)>");
    private static final Pattern TIMESTAMP_TAG = Pattern.compile("<" + TIME + ">");
    private static final Pattern KEPT_TAGS = Pattern.compile("b|i|u|c|v|lang|ruby|rt");
    private static final Pattern ASS_OVERRIDE = Pattern.compile("\\{\\\\[^}]*}");
    private static final Pattern ENTITY = Pattern.compile("&(amp|lt|gt|lrm|rlm|nbsp|#\\d+|#x[0-9a-fA-F]+);");
    private static final int MAX_CUES = 20_000;

    private SubtitleParser() {
    }

    public enum Format { WEBVTT, SRT }

    public record Parsed(Format format, List<Cue> cues) {
    }

    public static Parsed parse(byte[] bytes, long durationMs, long maxBytes) {
        if (bytes.length == 0) {
            throw new SubtitleRejected(0, "the file is empty");
        }
        if (bytes.length > maxBytes) {
            throw new SubtitleRejected(0, "the file is " + bytes.length + " bytes; subtitles may be at most "
                    + maxBytes + " bytes");
        }
        String[] lines = utf8Lines(bytes);
        if (lines[0].startsWith("\uFEFF")) {
            lines[0] = lines[0].substring(1);
        }
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first < lines.length && lines[first].matches("WEBVTT([ \\t].*)?")) {
            return new Parsed(Format.WEBVTT, cues(lines, skipBlock(lines, first), durationMs, Format.WEBVTT));
        }
        if (first + 1 < lines.length && lines[first].strip().matches("\\d+") && lines[first + 1].contains("-->")) {
            return new Parsed(Format.SRT, cues(lines, first, durationMs, Format.SRT));
        }
        throw new SubtitleRejected(first + 1, "neither WebVTT (the first line must be 'WEBVTT') nor SRT "
                + "(a cue number, then a timing line 'hh:mm:ss,mmm --> hh:mm:ss,mmm')");
    }

    /** Lines of the file; the first line holding bytes that are not UTF-8 is named. */
    private static String[] utf8Lines(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                try {
                    lines.add(decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString());
                } catch (CharacterCodingException e) {
                    throw new SubtitleRejected(lines.size() + 1, "is not UTF-8 text (save the file as UTF-8)");
                }
                start = i + 1;
            }
        }
        return lines.toArray(String[]::new);
    }

    private static int skipBlock(String[] lines, int from) {
        int i = from;
        while (i < lines.length && !lines[i].isBlank()) {
            i++;
        }
        return i;
    }

    private static List<Cue> cues(String[] lines, int from, long durationMs, Format format) {
        List<Cue> cues = new ArrayList<>();
        int i = from;
        while (i < lines.length) {
            if (lines[i].isBlank()) {
                i++;
                continue;
            }
            int blockEnd = skipBlock(lines, i);
            String head = lines[i];
            if (format == Format.WEBVTT && (head.matches("(NOTE|STYLE|REGION)([ \\t].*)?"))) {
                i = blockEnd;
                continue;
            }
            int timingLine = head.contains("-->") ? i : i + 1;
            if (timingLine >= blockEnd) {
                throw new SubtitleRejected(i + 1, "a cue " + (format == Format.SRT ? "number" : "identifier")
                        + " without a timing line after it");
            }
            String id = timingLine == i ? null : head.strip();
            if (format == Format.SRT && !id.matches("\\d+")) {
                throw new SubtitleRejected(i + 1, "expected a cue number, found '" + clip(head) + "'");
            }
            Matcher timing = TIMING.matcher(lines[timingLine].strip());
            if (!timing.matches() || (format == Format.WEBVTT && lines[timingLine].contains(","))) {
                throw new SubtitleRejected(timingLine + 1, "malformed cue timing '" + clip(lines[timingLine])
                        + "': expected " + (format == Format.SRT ? "hh:mm:ss,mmm --> hh:mm:ss,mmm" : "hh:mm:ss.mmm --> hh:mm:ss.mmm"));
            }
            long start = millis(timing, 1);
            long end = millis(timing, 5);
            if (end <= start) {
                throw new SubtitleRejected(timingLine + 1, "the cue ends (" + clock(end) + ") before it starts ("
                        + clock(start) + ")");
            }
            if (end > durationMs) {
                throw new SubtitleRejected(timingLine + 1, "the cue ends at " + clock(end)
                        + ", after the episode's end at " + clock(durationMs));
            }
            List<String> payload = new ArrayList<>();
            for (int p = timingLine + 1; p < blockEnd; p++) {
                if (lines[p].contains("-->")) {
                    throw new SubtitleRejected(p + 1, "cue text must not contain '-->' (a missing blank line between cues?)");
                }
                payload.add(sanitise(lines[p], format));
            }
            String text = String.join("\n", payload).strip();
            if (!text.isEmpty()) {
                if (cues.size() >= MAX_CUES) {
                    throw new SubtitleRejected(timingLine + 1, "more than " + MAX_CUES + " cues");
                }
                cues.add(new Cue(format == Format.WEBVTT ? id : null, start, end,
                        format == Format.WEBVTT ? settings(timing.group(9)) : "", text));
            }
            i = blockEnd;
        }
        if (cues.isEmpty()) {
            throw new SubtitleRejected(0, "the file has no cues");
        }
        return cues;
    }

    private static String settings(String raw) {
        if (raw == null) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        Matcher m = SETTING.matcher(raw);
        while (m.find()) {
            kept.add(m.group());
        }
        return String.join(" ", kept);
    }

    /** Only WebVTT's own tags survive; SRT's loose '&' and '<' become entities. */
    static String sanitise(String line, Format format) {
        String text = ASS_OVERRIDE.matcher(line).replaceAll("");
        StringBuilder out = new StringBuilder();
        Matcher tag = TAG.matcher(text);
        int at = 0;
        while (tag.find()) {
            out.append(escapeLoose(text.substring(at, tag.start())));
            String name = tag.group(2).toLowerCase(Locale.ROOT);
            if (TIMESTAMP_TAG.matcher(tag.group()).matches() || KEPT_TAGS.matcher(name).matches()) {
                out.append(keptTag(tag, name));
            }
            at = tag.end();
        }
        out.append(escapeLoose(text.substring(at)));
        return out.toString();
    }

    /** A kept tag with only what WebVTT allows: classes on any, an annotation on v and lang. */
    private static String keptTag(Matcher tag, String name) {
        if (TIMESTAMP_TAG.matcher(tag.group()).matches()) {
            return tag.group();
        }
        if (!tag.group(1).isEmpty()) {
            return "</" + name + ">";
        }
        String rest = tag.group(3);
        String classes = rest.startsWith(".") ? rest.split("[ \\t]", 2)[0].replaceAll("[^A-Za-z0-9_.-]", "") : "";
        String annotation = (name.equals("v") || name.equals("lang")) && rest.contains(" ")
                ? " " + rest.substring(rest.indexOf(' ') + 1).strip().replaceAll("[<>&]", "") : "";
        return "<" + name + classes + annotation + ">";
    }

    private static String escapeLoose(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '&' && !ENTITY.matcher(text).region(i, text.length()).lookingAt()) {
                out.append("&amp;");
            } else if (c == '<') {
                out.append("&lt;");
            } else if (c == '>') {
                out.append("&gt;");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static long millis(Matcher m, int group) {
        long hours = m.group(group) == null ? 0 : Long.parseLong(m.group(group));
        return ((hours * 60 + Long.parseLong(m.group(group + 1))) * 60 + Long.parseLong(m.group(group + 2))) * 1000
                + Long.parseLong(m.group(group + 3));
    }

    /** hh:mm:ss.mmm, as WebVTT writes it. */
    public static String clock(long ms) {
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                ms % 1000);
    }

    private static String clip(String line) {
        String stripped = line.strip();
        return stripped.length() > 60 ? stripped.substring(0, 60) + "…" : stripped;
    }
}
