package com.microdrama.upload.dto;

public record StoredPartView(int number, long size, String etag) {
}
