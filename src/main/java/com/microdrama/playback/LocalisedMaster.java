package com.microdrama.playback;

import com.microdrama.core.i18n.Languages;
import com.microdrama.playback.PlayableEpisodes.Track;
import com.microdrama.playback.PlayableEpisodes.Tracks;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stored master (video rungs, each with the original audio muxed in) with the version's subtitle and dubbed
 * audio renditions added. The original audio is the AUDIO group's rendition without a URI — "the audio in the
 * variant" — so a version encoded before any dub existed gains dubs without a re-encode; each dub is a rendition
 * with its own playlist. Which rendition is DEFAULT follows the viewer's preference. docs/decisions.md says why.
 */
final class LocalisedMaster {

    static final String AUDIO_GROUP = "audio";
    static final String SUBTITLE_GROUP = "subs";
    private static final Pattern BANDWIDTH = Pattern.compile("(?<=[:,])(AVERAGE-BANDWIDTH|BANDWIDTH)=(\\d+)");

    private LocalisedMaster() {
    }

    /** Which renditions a master makes DEFAULT: an audio language always, a subtitle language only when asked. */
    record Defaults(String audio, String subtitles) {

        static Defaults of(Tracks tracks, String audioWanted, String subtitlesWanted) {
            List<String> audio = new ArrayList<>(List.of(tracks.originalLanguage()));
            List<String> subtitles = new ArrayList<>();
            for (Track t : tracks.live()) {
                (t.kind().equals("audio") ? audio : subtitles).add(t.language());
            }
            return new Defaults(Languages.negotiate(audioWanted, null, audio, tracks.originalLanguage()),
                    Languages.negotiate(subtitlesWanted, null, subtitles, null));
        }
    }

    /** {@code master}: the stored one; {@code tokenQuery}: what each URI carries ("?token=…"). */
    static String render(String master, Tracks tracks, Defaults defaults, String tokenQuery) {
        List<Track> dubs = tracks.live().stream().filter(t -> t.kind().equals("audio")).toList();
        List<Track> subtitles = tracks.live().stream().filter(t -> t.kind().equals("subtitles")).toList();
        StringBuilder media = new StringBuilder();
        if (!dubs.isEmpty()) {
            media.append(audio(tracks.originalLanguage(), Languages.nativeName(tracks.originalLanguage()),
                    defaults.audio().equals(tracks.originalLanguage()), null));
            for (Track dub : dubs) {
                media.append(audio(dub.language(), dub.name(), defaults.audio().equals(dub.language()),
                        dub.dir() + "/index.m3u8" + tokenQuery));
            }
        }
        for (Track s : subtitles) {
            media.append("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"").append(SUBTITLE_GROUP).append("\",LANGUAGE=\"")
                    .append(s.language()).append("\",NAME=\"").append(quoted(s.name())).append("\",DEFAULT=")
                    .append(s.language().equals(defaults.subtitles()) ? "YES" : "NO")
                    .append(",AUTOSELECT=YES,FORCED=NO,URI=\"").append(s.dir()).append("/index.m3u8")
                    .append(tokenQuery).append("\"\n");
        }
        int extraPeak = dubs.stream().mapToInt(t -> t.bandwidth() == null ? 0 : t.bandwidth()).max().orElse(0);
        int extraAverage = dubs.stream().mapToInt(t -> t.averageBandwidth() == null ? 0 : t.averageBandwidth()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        boolean mediaWritten = false;
        for (String line : master.split("\n")) {
            if (line.startsWith("#EXT-X-STREAM-INF:")) {
                if (!mediaWritten) {
                    out.append(media);
                    mediaWritten = true;
                }
                out.append(variant(line, extraPeak, extraAverage, !dubs.isEmpty(), !subtitles.isEmpty())).append('\n');
            } else if (!line.isBlank() && !line.startsWith("#")) {
                out.append(line).append(tokenQuery).append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String audio(String language, String name, boolean isDefault, String uri) {
        return "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"" + AUDIO_GROUP + "\",LANGUAGE=\"" + language + "\",NAME=\""
                + quoted(name) + "\",DEFAULT=" + (isDefault ? "YES" : "NO") + ",AUTOSELECT=YES"
                + (uri == null ? "" : ",URI=\"" + uri + "\"") + "\n";
    }

    /**
     * A player on a dub still fetches the variant (its muxed original audio included) plus the dub, so the
     * variant's bitrates grow by the largest dub's.
     */
    private static String variant(String line, int extraPeak, int extraAverage, boolean audio, boolean subtitles) {
        Matcher m = BANDWIDTH.matcher(line);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int extra = m.group(1).equals("BANDWIDTH") ? extraPeak : extraAverage;
            m.appendReplacement(out, m.group(1) + "=" + (Long.parseLong(m.group(2)) + extra));
        }
        m.appendTail(out);
        if (audio) {
            out.append(",AUDIO=\"").append(AUDIO_GROUP).append('"');
        }
        if (subtitles) {
            out.append(",SUBTITLES=\"").append(SUBTITLE_GROUP).append('"');
        }
        return out.toString();
    }

    private static String quoted(String value) {
        return value.replace("\"", "'").replace("\n", " ");
    }
}
