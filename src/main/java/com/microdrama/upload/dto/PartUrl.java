package com.microdrama.upload.dto;

/** Where to PUT one part, and exactly how many bytes it must hold. */
public record PartUrl(int number, long size, String url) {
}
