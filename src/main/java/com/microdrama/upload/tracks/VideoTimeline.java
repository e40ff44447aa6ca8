package com.microdrama.upload.tracks;

import com.microdrama.catalogue.MediaTracks.Target;
import com.microdrama.core.media.TransportStreams;
import com.microdrama.core.storage.ObjectStorage;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a track must line up with, read from the version's video playlist: its segment durations, its target
 * duration, and the first presentation timestamp of its first segment (decrypted with the version's key).
 */
public record VideoTimeline(List<Double> segmentSeconds, int targetDuration, long firstPts) {

    private static final Pattern EXTINF = Pattern.compile("^#EXTINF:([0-9.]+),");
    private static final Pattern IV = Pattern.compile("IV=0[xX]([0-9a-fA-F]{32})");

    public static VideoTimeline of(ObjectStorage storage, Target target) throws Exception {
        String playlistKey = target.videoPlaylistKey();
        String dir = playlistKey.substring(0, playlistKey.lastIndexOf('/') + 1);
        String playlist = storage.readText(playlistKey)
                .orElseThrow(() -> new IllegalStateException("the video playlist " + playlistKey + " is missing"));
        List<Double> durations = new ArrayList<>();
        int targetDuration = 0;
        String firstSegment = null;
        byte[] iv = null;
        for (String line : playlist.split("\n")) {
            Matcher inf = EXTINF.matcher(line);
            if (inf.find()) {
                durations.add(Double.parseDouble(inf.group(1)));
            } else if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                targetDuration = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
            } else if (line.startsWith("#EXT-X-KEY") && iv == null) {
                Matcher m = IV.matcher(line);
                if (m.find()) {
                    iv = HexFormat.of().parseHex(m.group(1));
                }
            } else if (firstSegment == null && !line.isBlank() && !line.startsWith("#")) {
                firstSegment = line.strip();
            }
        }
        if (firstSegment == null || durations.isEmpty()) {
            throw new IllegalStateException("the video playlist " + playlistKey + " has no segments");
        }
        String segmentKey = dir + firstSegment;
        byte[] segment = storage.readBytes(segmentKey)
                .orElseThrow(() -> new IllegalStateException("the video segment " + segmentKey + " is missing"));
        if (iv != null) {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(target.encryptionKey(), "AES"), new IvParameterSpec(iv));
            segment = aes.doFinal(segment);
        }
        long pts = TransportStreams.firstPts(segment)
                .orElseThrow(() -> new IllegalStateException("no timestamp in the video segment " + segmentKey));
        return new VideoTimeline(durations, targetDuration, pts);
    }
}
