package com.microdrama.upload;

import com.microdrama.core.error.ApiException;
import java.util.Locale;

/** The wording of size and checksum refusals, shared by both ways in. */
final class UploadLimits {

    private UploadLimits() {
    }

    static ApiException tooLarge(long size, long max) {
        return new ApiException(413, "Payload too large", tooLargeReason(size, max)).with("maxSize", max);
    }

    static String tooLargeReason(long size, long max) {
        return "the file is larger than the " + human(max) + " limit (" + size + " bytes"
                + (size > max ? " or more" : "") + ")";
    }

    static String checksumMismatch(String expected, String actual) {
        return "SHA-256 of the received file is " + actual + ", not the declared " + expected.toLowerCase(Locale.ROOT);
    }

    static String human(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes + " bytes";
    }
}
