package com.microdrama.upload;

import com.microdrama.core.error.ApiException;
import com.microdrama.core.http.BodySizeGuard;
import java.util.Locale;

/** The wording of size and checksum refusals, shared by both ways in. */
public final class UploadLimits {

    private UploadLimits() {
    }

    static ApiException tooLarge(long size, long max) {
        return new ApiException(413, "Payload too large", tooLargeReason(size, max)).with("maxSize", max);
    }

    static String tooLargeReason(long size, long max) {
        return "the file is larger than the " + BodySizeGuard.human(max) + " limit (" + size + " bytes"
                + (size > max ? " or more" : "") + ")";
    }

    /** A declared length over the limit: unlike a stream cut short, its exact size is known. */
    public static String declaredTooLarge(long declared, long max) {
        return "the file is larger than the " + BodySizeGuard.human(max) + " limit (" + declared + " bytes)";
    }

    static String checksumMismatch(String expected, String actual) {
        return "SHA-256 of the received file is " + actual + ", not the declared " + expected.toLowerCase(Locale.ROOT);
    }
}
