package com.microdrama.analytics.dto;

/** A durable batch: how many events were new and how many had been received before (dropped). */
public record BatchAccepted(int accepted, int duplicates) {
}
